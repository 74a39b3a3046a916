/**
 * What a measured server costs the machine, read from Linux's /proc: CPU time
 * (user + system, all threads) and resident memory. Read from outside the
 * process, so a server that knows nothing of the benchmark (the Node peer) is
 * measured exactly like ours. Elsewhere than Linux both read as undefined.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of utime/stime: USER_HZ, 100 on every Linux kernel we run on; asked once in case. */
const TICKS_PER_SECOND = (() => {
  try {
    const ticks = Number(Bun.spawnSync(["getconf", "CLK_TCK"], { stdout: "pipe", stderr: "ignore" }).stdout.toString().trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100; // no getconf
  }
})();

/** CPU milliseconds the process has used so far, summed over the given pids. */
export function cpuMs(pids: readonly number[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // The command name (field 2) may hold spaces or parentheses: count fields after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of the whole line
    } catch {
      return undefined;
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Resident memory in MB, summed over the given pids. */
export function rssMb(pids: readonly number[]): number | undefined {
  let kb = 0;
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (!match) return undefined;
      kb += Number(match[1]);
    } catch {
      return undefined;
    }
  }
  return kb / 1024;
}

/**
 * CPU and peak RSS of `pids` while `work` runs: RSS is sampled during the work
 * (under load), not after it, when the heap may already have shrunk.
 */
export async function usageDuring<T>(pids: readonly number[], work: () => Promise<T>): Promise<{ result: T; cpuMs?: number; peakRssMb?: number }> {
  const cpuBefore = cpuMs(pids);
  let peak: number | undefined;
  const sample = () => {
    const now = rssMb(pids);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  };
  const timer = setInterval(sample, 500);
  try {
    const result = await work();
    sample();
    const cpuAfter = cpuMs(pids);
    return { result, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, peakRssMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/** The parent of process `pid` (field 4 of /proc/<pid>/stat), or undefined. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(parent) && parent > 0 ? parent : undefined;
  } catch {
    return undefined; // not Linux, or not on this machine
  }
}

/**
 * CPU milliseconds used so far by one PostgreSQL server on this machine: its
 * postmaster and every process it started (backends, checkpointer, WAL writer...),
 * and no other cluster's. What the database spends on a round is the difference
 * of two snapshots (postgresCpuSince). Backends come and go; one that started
 * during the round counts in full, one that ended is lost.
 */
export function postgresCpuSnapshot(postmaster: number): Map<number, number> {
  const snapshot = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return snapshot; // not Linux
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || (pid !== postmaster && parentOf(pid) !== postmaster)) continue;
    const used = cpuMs([pid]);
    if (used !== undefined) snapshot.set(pid, used);
  }
  return snapshot;
}

/** That server's CPU milliseconds since `before` (undefined where its processes cannot be read). */
export function postgresCpuSince(postmaster: number, before: Map<number, number>): number | undefined {
  const after = postgresCpuSnapshot(postmaster);
  if (!after.size) return undefined;
  let total = 0;
  for (const [pid, used] of after) total += used - (before.get(pid) ?? 0);
  return total;
}
