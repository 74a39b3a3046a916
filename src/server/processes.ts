/**
 * `bun run start` with WORKERS > 1: the first process serves too, and starts
 * WORKERS - 1 more API processes on the same port (src/server/api-process.ts).
 * Each has its own pools, sized so that all of them together stay within the
 * database's max_connections (src/db/pool-budget.ts).
 */
import { join } from "node:path";
import type { RoleUrls } from "../db/roles.ts";
import { processEnvironment, roleUrlsToEnv } from "../env.ts";

export interface ApiProcessConfig {
  port: number;
  roleUrls: RoleUrls;
  contextKey: string;
  meiliUrl: string;
  meiliMasterKey: string;
  poolMax: number;
}

/** Starts the other API processes; restarts one that dies, until stopAll. */
export function startApiProcesses(count: number, config: ApiProcessConfig, say: (message: string) => void) {
  let stopping = false;
  const env = {
    ...processEnvironment(),
    PORT: String(config.port),
    ...roleUrlsToEnv(config.roleUrls),
    DATABASE_POOL_MAX: String(config.poolMax),
    CONTEXT_SIGNING_KEY: config.contextKey,
    MEILI_URL: config.meiliUrl,
    MEILI_MASTER_KEY: config.meiliMasterKey,
    API_PROCESS_PARENT: String(process.pid),
  };
  const spawnOne = (): ReturnType<typeof Bun.spawn> => {
    const child = Bun.spawn(["bun", join(import.meta.dir, "api-process.ts")], { env, stdout: "inherit", stderr: "inherit" });
    void child.exited.then((code) => {
      if (stopping) return;
      say(`API process ${child.pid} exited (${code}); starting another`);
      const index = children.indexOf(child);
      setTimeout(() => {
        if (!stopping) children[index] = spawnOne();
      }, 1000);
    });
    return child;
  };
  const children = Array.from({ length: count }, spawnOne);
  return {
    pids: () => children.map((c) => c.pid),
    async stopAll(): Promise<void> {
      stopping = true;
      for (const child of children) child.kill("SIGTERM");
      await Promise.race([Promise.all(children.map((c) => c.exited)), Bun.sleep(10_000)]);
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
