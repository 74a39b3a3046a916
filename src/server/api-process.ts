/**
 * One more API process of `bun run start` (WORKERS > 1): serves the same port as
 * the first (reusePort) with its own pools and cache client. The first process
 * has started the services, migrated and seeded; it hands this one the role
 * URLs and the context key in the environment. No job worker runs here.
 *
 * It exits when the first process is gone (even SIGKILLed): an orphan would go
 * on serving the port with nobody to stop it.
 */
import type { RoleUrls } from "../db/roles.ts";
import { env, roleUrlsFromEnv } from "../env.ts";
import { stopOnSignals, stopWhenOrphaned } from "../lib/stop-signals.ts";
import { apiDepsFromEnv } from "./api-deps.ts";
import { serveApi } from "./serve.ts";

// Passed in rather than read from process.ppid at start: the first process may already be gone by then.
const parent = env.API_PROCESS_PARENT ?? process.ppid;
const deps = apiDepsFromEnv({
  // The first process sets every one of them (src/server/processes.ts).
  roleUrls: roleUrlsFromEnv(env) as RoleUrls,
  contextKey: env.CONTEXT_SIGNING_KEY!,
  poolMax: env.DATABASE_POOL_MAX,
  meiliUrl: env.MEILI_URL,
  meiliMasterKey: env.MEILI_MASTER_KEY,
});
const server = serveApi(deps, { port: env.PORT, reusePort: true });
console.log(`[desibazaar] api process ${process.pid} serving port ${server.port}`);

const stop = stopOnSignals(async () => {
  await server.stop();
  await deps.close().catch(() => {});
});
stopWhenOrphaned(stop, parent);
