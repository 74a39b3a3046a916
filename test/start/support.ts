/** Running `bun run start` as a child process, the way a newcomer does (test/start/*). */
import { join, resolve } from "node:path";
import { removeDataDir } from "../../src/infra/postgres-runtime.ts";
import { freePort, isAlive, stopLeftover, waitUntil } from "../../src/infra/processes.ts";

export const ROOT = resolve(import.meta.dir, "..", "..");

/** A newcomer's environment: none of the services the test runner handed us. */
export function baseEnv(extra: Record<string, string>): Record<string, string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(DATA_DIR|DATABASE_|MEILI_|LOG_FILE|JWT_SECRET|REDIS_URL)/.test(k)),
  ) as Record<string, string>;
  return { ...clean, LOG_LEVEL: "warn", ...extra };
}

export interface Started {
  proc: ReturnType<typeof Bun.spawn>;
  port: number;
  output: () => string;
}

/** Starts the server from `cwd` (default: this clone) and waits for /health to answer 200. */
export async function start(extra: Record<string, string>, cwd = ROOT): Promise<Started> {
  const port = freePort();
  const proc = Bun.spawn(["bun", "src/index.ts"], { cwd, env: baseEnv({ PORT: String(port), ...extra }), stdout: "pipe", stderr: "pipe" });
  spawned.add(proc);
  let text = "";
  const decoder = new TextDecoder();
  for (const stream of [proc.stdout, proc.stderr] as ReadableStream<Uint8Array>[]) {
    void (async () => {
      for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    })();
  }
  const up = await waitUntil(
    () => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false),
    30_000,
    200,
  );
  if (!up) {
    proc.kill("SIGKILL");
    throw new Error(`start did not serve /health within 30 s:\n${text}`);
  }
  return { proc, port, output: () => text };
}


/** Every server these tests started, so one a failed test left running is stopped afterwards. */
const spawned = new Set<ReturnType<typeof Bun.spawn>>();

/**
 * A test's afterAll: stops every server it started that is still running
 * (SIGTERM, which stops its PostgreSQL and Meilisearch; SIGKILL after 15 s),
 * then whatever a SIGKILLed server left running in `dataDirs` (by their pid
 * files), then removes those directories.
 */
export async function cleanUpStarted(dataDirs: string[]): Promise<void> {
  for (const proc of spawned) {
    if (proc.exitCode === null && proc.signalCode === null && isAlive(proc.pid)) {
      proc.kill("SIGTERM");
      if (!(await waitUntil(() => !isAlive(proc.pid), 15_000))) proc.kill("SIGKILL");
    }
    spawned.delete(proc);
  }
  for (const dir of dataDirs) {
    await stopLeftover(join(dir, "postgres", "postmaster.pid"), "PostgreSQL", () => {});
    await stopLeftover(join(dir, "meilisearch.pid"), "Meilisearch", () => {});
    removeDataDir(dir);
  }
}
