/**
 * Starts the floor server (bench/floor-server.ts) in a process of its own, on the
 * benchmark's database, as the tenant role our API uses.
 */
import { join } from "node:path";
import { freePort, waitUntil } from "../src/infra/processes.ts";
import type { BenchEnv } from "./env.ts";
import type { SeededCatalogue } from "./http-seed.ts";

export interface Floor {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startFloor(env: BenchEnv, seeded: SeededCatalogue): Promise<Floor> {
  const port = freePort();
  const child = Bun.spawn(["bun", join(import.meta.dir, "floor-server.ts")], {
    env: {
      ...process.env,
      FLOOR_PORT: String(port),
      FLOOR_DATABASE_URL: env.roleUrls.app,
      FLOOR_OWNER_URL: env.ownerUrl,
      FLOOR_CONTEXT_KEY: env.contextKey,
      FLOOR_ROLE: decodeURIComponent(new URL(env.roleUrls.app).username),
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
  if (!(await waitUntil(async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok === true, 30_000, 200))) {
    await stop();
    throw new Error(`the floor server on port ${port} did not answer within 30 s`);
  }
  return { url, pid: child.pid, stop };
}
