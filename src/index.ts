/**
 * `bun run start`: brings up what the environment lacks (embedded PostgreSQL,
 * bundled Meilisearch), migrates, seeds first-run data, and serves. Ctrl-C or
 * SIGTERM stops the server and every child process it started.
 */
import { env, roleUrlsFromEnv } from "./env.ts";
import { poolMaxFor } from "./db/pool-budget.ts";
import { startServices } from "./infra/services.ts";
import { emailNotice, jobRuntimeFromEnv, startWorkerFromEnv } from "./jobs/runtime.ts";
import { logger } from "./lib/logger.ts";
import { stopOnSignals } from "./lib/stop-signals.ts";
import { ensureDemoBusiness, ensurePlatformAdmin } from "./seed/bootstrap.ts";
import { seedDemoCatalog } from "./seed/demo-catalog.ts";
import { apiDepsFromEnv } from "./server/api-deps.ts";
import { startApiProcesses } from "./server/processes.ts";
import { serveApi } from "./server/serve.ts";

const say = (message: string) => console.log(`[desibazaar] ${message}`);

async function main() {
  const services = await startServices({
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    explicitRoleUrls: roleUrlsFromEnv(env),
    meiliUrl: env.MEILI_URL,
    meiliMasterKey: env.MEILI_MASTER_KEY,
    contextKey: env.CONTEXT_SIGNING_KEY,
    log: (m) => logger.debug({ service: "startup" }, m),
    notify: say,
  });
  if (services.started.length) say(`started ${services.started.join(", ")} under ${env.DATA_DIR}`);

  const pools = await poolMaxFor(services.ownerUrl, env.WORKERS, env.DATABASE_POOL_MAX);
  if (pools.max < env.DATABASE_POOL_MAX) {
    say(`${env.WORKERS} API processes x ${env.DATABASE_POOL_MAX} connections per pool would pass the database's max_connections (${pools.limit}): pools of ${pools.max}`);
  }
  const deps = apiDepsFromEnv({ roleUrls: services.roleUrls, contextKey: services.contextKey, poolMax: pools.max, meiliUrl: services.meiliUrl, meiliMasterKey: services.meiliMasterKey });

  if (!(await deps.scopes.contextIsAccepted())) {
    throw new Error("the database refuses this process's signed context: CONTEXT_SIGNING_KEY differs from the key the database holds, or this machine's clock is more than a minute off the database's");
  }

  if (env.PLATFORM_ADMIN_EMAIL && env.PLATFORM_ADMIN_PASSWORD) {
    const admin = await ensurePlatformAdmin(deps.scopes, env.PLATFORM_ADMIN_EMAIL, env.PLATFORM_ADMIN_PASSWORD);
    if (admin === "created") say(`super admin ${env.PLATFORM_ADMIN_EMAIL} created`);
    if (admin === "taken") {
      logger.error({ email: env.PLATFORM_ADMIN_EMAIL }, "PLATFORM_ADMIN_EMAIL names an existing account; it was not made super admin");
      say(`PLATFORM_ADMIN_EMAIL names an account that already exists; it was NOT made super admin (anyone may have registered that address). Choose an unused address, or promote the account explicitly: bun run tenant promote-admin <email>`);
    }
  }
  // Indexes, settings and the token key before the first request; a Meilisearch that is down only delays search (retried on use).
  await deps.search.setup().then(
    () => say(`search: Meilisearch ready (indexes ${Object.values(deps.search.names).join(", ")})`),
    () => say("search: Meilisearch is not reachable yet; search answers SERVICE_UNAVAILABLE until it is, and indexing jobs wait for it"),
  );
  const demo = await ensureDemoBusiness(deps.scopes);
  if (demo) await seedDemoCatalog(deps.scopes, demo.slug);

  const runtime = jobRuntimeFromEnv(env, deps.scopes);
  say(emailNotice(env, runtime));
  const worker = env.JOBS_IN_PROCESS ? await startWorkerFromEnv(env, { jobsUrl: services.roleUrls.jobs, scopes: deps.scopes, runtime }) : null;
  say(worker ? `background jobs: a worker runs in this process (${env.JOB_CONCURRENCY} at a time)` : "background jobs: not run here (JOBS_IN_PROCESS=false): run `bun run worker`");

  const server = serveApi(deps, { port: env.PORT, reusePort: env.WORKERS > 1 });
  const others =
    env.WORKERS > 1
      ? startApiProcesses(env.WORKERS - 1, { port: server.port!, roleUrls: services.roleUrls, contextKey: services.contextKey, meiliUrl: services.meiliUrl, meiliMasterKey: services.meiliMasterKey, poolMax: pools.max }, say)
      : null;
  say(`serving http://localhost:${server.port}  (health: /health, tRPC: /trpc), ${env.WORKERS} API process${env.WORKERS > 1 ? "es" : ""}`);
  if (demo) say(`demo login (shown once): ${demo.email} / ${demo.password}  business slug: ${demo.slug}`);

  stopOnSignals(async (signal) => {
    say(`${signal}: stopping`);
    await others?.stopAll();
    await server.stop();
    await worker?.stop().catch(() => {});
    runtime.mailer.close();
    await deps.close().catch(() => {});
    await services.stop();
  });
}

main().catch((error) => {
  console.error(`[desibazaar] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
