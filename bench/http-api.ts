/**
 * The API under test, served by the code `bun run start` uses for WORKERS:
 * startApiProcesses (src/server/processes.ts) starts `processes` API processes
 * (src/server/api-process.ts) on one port with reusePort, each with the pools
 * poolMaxFor allows. Nothing of the app runs in the benchmark's own process,
 * so the load generator and the bookkeeping never share the server's CPU.
 *
 * The processes exit by themselves within a second if the benchmark dies
 * (API_PROCESS_PARENT is this process).
 */
import { env as appEnv } from "../src/env.ts";
import { freePort, waitUntil } from "../src/infra/processes.ts";
import { poolMaxFor } from "../src/db/pool-budget.ts";
import { startApiProcesses } from "../src/server/processes.ts";
import type { BenchEnv } from "./env.ts";

/** Never contacted by products.list; /health reports search down, which it ignores for its status. */
const UNUSED_MEILI_URL = "http://127.0.0.1:1";
const UNUSED_MEILI_KEY = "never-used-by-products-list";

export interface ApiGroup {
  url: string;
  processes: number;
  pids(): number[];
  stop(): Promise<void>;
}

/**
 * startApiProcesses hands its children this process's environment: whatever
 * they need beyond the database (the JWT secret, no Redis) is set here for as
 * long as they may be started (a dead one is restarted). Returns the undo.
 */
export function lendEnvironment(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Waits (at most timeoutMs) until the server at `url` answers /health with a 2xx; false if it never did. */
export function answersHealth(url: string, timeoutMs: number): Promise<boolean> {
  return waitUntil(async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok === true, timeoutMs, 200);
}

export async function startApiGroup(env: BenchEnv, processes: number): Promise<ApiGroup> {
  const port = freePort();
  // As `bun run start` sizes them: DATABASE_POOL_MAX, or less if that many processes would pass max_connections.
  const pools = await poolMaxFor(env.ownerUrl, processes, appEnv.DATABASE_POOL_MAX);
  const group = startApiProcesses(processes, { port, roleUrls: env.roleUrls, contextKey: env.contextKey, meiliUrl: UNUSED_MEILI_URL, meiliMasterKey: UNUSED_MEILI_KEY, poolMax: pools.max }, env.say);
  const url = `http://127.0.0.1:${port}`;
  if (!(await answersHealth(url, 30_000))) {
    await group.stopAll();
    throw new Error(`${processes} API process(es) on port ${port} did not answer /health within 30 s`);
  }
  return { url, processes, pids: group.pids, stop: group.stopAll };
}
