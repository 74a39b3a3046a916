/**
 * WORKERS: `bun run start` serves one port from several API processes
 * (reusePort), each with its own pools; SIGTERM stops them all, and an API
 * process whose first process was SIGKILLed does not live on as an orphan.
 * Several processes share their cache and rate limits through Redis, so they
 * run only with REDIS_URL (as in CI); without it, more than one is refused.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { env } from "../../src/env.ts";
import { isAlive, waitUntil } from "../../src/infra/processes.ts";
import { ROOT, baseEnv, cleanUpStarted, start } from "./support.ts";

const dataDir = join(ROOT, ".test-data", `workers-${crypto.randomUUID().slice(0, 8)}`);
afterAll(() => cleanUpStarted([dataDir]), 60_000);

/** Alive and not a zombie: an orphan that exited waits for init to reap it, and kill(pid, 0) still finds it. */
function running(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

/** The API processes (src/server/api-process.ts) `pid` started. */
function apiProcessesOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((child) => {
      try {
        return readFileSync(`/proc/${child}/cmdline`, "utf8").includes("api-process.ts");
      } catch {
        return false;
      }
    });
}

test("WORKERS above 1 without REDIS_URL stops start-up with a message naming both", async () => {
  const proc = Bun.spawn(["bun", "src/index.ts"], { cwd: ROOT, env: baseEnv({ DATA_DIR: dataDir, WORKERS: "2" }), stdout: "pipe", stderr: "pipe" });
  expect(await proc.exited).toBe(1);
  const output = (await new Response(proc.stdout).text()) + (await new Response(proc.stderr).text());
  expect(output).toContain("WORKERS: above 1 needs REDIS_URL");
  expect(existsSync(join(dataDir, "postgres"))).toBe(false); // refused before anything started
}, 30_000);

// With Redis (REDIS_URL, as in CI): the processes share it, under this run's CACHE_PREFIX.
const shared = { REDIS_URL: env.REDIS_URL ?? "", DATABASE_URL: env.DATABASE_URL!, MEILI_URL: env.MEILI_URL!, MEILI_MASTER_KEY: env.MEILI_MASTER_KEY! };

describe.skipIf(!env.REDIS_URL)("WORKERS, sharing Redis", () => {
  test("3 processes serve one port; every request is answered; SIGTERM stops all of them", async () => {
    const started = await start({ DATA_DIR: dataDir, WORKERS: "3", ...shared });
    expect(started.output()).toContain("3 API processes");
    expect(await waitUntil(() => apiProcessesOf(started.proc.pid).length === 2, 15_000)).toBe(true);
    const children = apiProcessesOf(started.proc.pid);
    // Fresh connections each time, so the kernel spreads them over the three listeners.
    const statuses = await Promise.all(Array.from({ length: 60 }, () => fetch(`http://127.0.0.1:${started.port}/health`, { keepalive: false }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);

    started.proc.kill("SIGTERM");
    expect(await started.proc.exited).toBe(0);
    for (const child of children) expect(running(child)).toBe(false);
  }, 90_000);

  test("an API process whose first process was SIGKILLed stops by itself", async () => {
    const started = await start({ DATA_DIR: dataDir, WORKERS: "2", ...shared });
    expect(await waitUntil(() => apiProcessesOf(started.proc.pid).length === 1, 15_000)).toBe(true);
    const [child] = apiProcessesOf(started.proc.pid);
    started.proc.kill("SIGKILL");
    await started.proc.exited;
    expect(await waitUntil(() => !running(child!), 10_000)).toBe(true);
  }, 90_000);
});
