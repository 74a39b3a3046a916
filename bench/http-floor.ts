/**
 * Starts a floor server (bench/floor-server.ts) in a process of its own, on the
 * benchmark's database, with what an API process is given: the role URLs, the
 * context key, and this process's environment (the lent JWT secret).
 */
import { join } from "node:path";
import { processEnvironment, roleUrlsToEnv } from "../src/env.ts";
import { freePort } from "../src/infra/processes.ts";
import type { BenchEnv } from "./env.ts";
import type { SeededCatalogue } from "./http-seed.ts";
import { answersHealth } from "./http-api.ts";

export interface Floor {
  url: string;
  pids(): number[];
  stop(): Promise<void>;
}

export type FloorMode = "transaction" | "tenancy";

export async function startFloor(env: BenchEnv, seeded: SeededCatalogue, mode: FloorMode): Promise<Floor> {
  const port = freePort();
  const child = Bun.spawn(["bun", join(import.meta.dir, "floor-server.ts")], {
    env: {
      ...processEnvironment(),
      ...roleUrlsToEnv(env.roleUrls),
      FLOOR_MODE: mode,
      FLOOR_PORT: String(port),
      FLOOR_OWNER_URL: env.ownerUrl,
      FLOOR_CONTEXT_KEY: env.contextKey,
      FLOOR_USER_ID: String(seeded.userId),
      FLOOR_SESSION_ID: seeded.sessionId,
    },
    stdout: "inherit",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill();
    await child.exited;
  };
  if (!(await answersHealth(url, 30_000))) {
    await stop();
    throw new Error(`the ${mode} floor server on port ${port} did not answer within 30 s`);
  }
  return { url, pids: () => [child.pid], stop };
}
