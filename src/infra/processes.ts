/** Small helpers for the child processes we start (embedded PostgreSQL, Meilisearch). */
import { existsSync, readFileSync, rmSync } from "node:fs";

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await Bun.sleep(stepMs);
  }
  return check();
}

/** The pid on the first line of `pidFile` (ours, or PostgreSQL's postmaster.pid) if that process is alive, else null. */
export function livePid(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  return pid > 1 && isAlive(pid) ? pid : null;
}

/**
 * A process left behind by a parent that was SIGKILLed still holds its data
 * directory. Ask it to stop (SIGINT: PostgreSQL's fast shutdown), then insist.
 */
export async function stopLeftover(pidFile: string, describe: string, log: (m: string) => void): Promise<void> {
  const pid = livePid(pidFile);
  if (pid) {
    log(`stopping ${describe} left running by an earlier process (pid ${pid})`);
    process.kill(pid, "SIGINT");
    if (!(await waitUntil(() => !isAlive(pid), 15_000))) {
      process.kill(pid, "SIGKILL");
      await waitUntil(() => !isAlive(pid), 5_000);
    }
  }
  rmSync(pidFile, { force: true });
}

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}
