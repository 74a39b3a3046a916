/**
 * `bun run start`: brings up what the environment lacks (embedded PostgreSQL,
 * bundled Meilisearch), migrates, seeds first-run data, and serves. Ctrl-C or
 * SIGTERM stops the server and every child process it started.
 */
import { createApp } from "./app.ts";
import { createDeps } from "./deps.ts";
import { env } from "./env.ts";
import { startServices, persistedSecret } from "./infra/services.ts";
import { jobRuntimeFromEnv } from "./jobs/runtime.ts";
import { startWorker } from "./jobs/worker.ts";
import { logger } from "./lib/logger.ts";
import { ensureDemoBusiness, ensurePlatformAdmin } from "./seed/bootstrap.ts";
import { seedDemoCatalog } from "./seed/demo-catalog.ts";

const say = (message: string) => console.log(`[desibazaar] ${message}`);

async function main() {
  const services = await startServices({
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    explicitRoleUrls: {
      app: env.DATABASE_APP_URL,
      customer: env.DATABASE_CUSTOMER_URL,
      admin: env.DATABASE_ADMIN_URL,
      platform: env.DATABASE_PLATFORM_URL,
      jobs: env.DATABASE_JOBS_URL,
    },
    meiliUrl: env.MEILI_URL,
    meiliMasterKey: env.MEILI_MASTER_KEY,
    contextKey: env.CONTEXT_SIGNING_KEY,
    log: (m) => logger.debug({ service: "startup" }, m),
    notify: say,
  });
  if (services.started.length) say(`started ${services.started.join(", ")} under ${env.DATA_DIR}`);

  const deps = createDeps({
    roleUrls: services.roleUrls,
    contextKey: services.contextKey,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    policy: { trialPlanId: env.TRIAL_PLAN, maxBusinessesPerUser: env.MAX_BUSINESSES_PER_USER },
    pool: { max: env.DATABASE_POOL_MAX },
    tokens: { secret: env.JWT_SECRET ?? persistedSecret(env.DATA_DIR, "jwt-secret") },
    baseDomain: env.BASE_DOMAIN,
    redisUrl: env.REDIS_URL,
    cachePrefix: env.CACHE_PREFIX,
    meiliUrl: services.meiliUrl,
    meiliMasterKey: services.meiliMasterKey,
  });

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
  say(`e-mail: ${env.SMTP_URL ? `sent through ${runtime.mailer.description}` : "SMTP_URL is not set: e-mails are written to the log, not sent"}`);
  const worker = env.JOBS_IN_PROCESS
    ? await startWorker({ jobsUrl: services.roleUrls.jobs, scopes: deps.scopes, enqueuer: deps.jobs, runtime, slots: env.JOB_CONCURRENCY, tenantCap: env.JOB_TENANT_CONCURRENCY })
    : null;
  say(worker ? `background jobs: a worker runs in this process (${env.JOB_CONCURRENCY} at a time)` : "background jobs: not run here (JOBS_IN_PROCESS=false): run `bun run worker`");

  // Bun accepts 128 MiB bodies by default; no route takes more than 64 MiB (tRPC: 1 MiB, src/app.ts).
  const server = Bun.serve({ port: env.PORT, hostname: "0.0.0.0", maxRequestBodySize: 64 * 1024 * 1024, fetch: createApp(deps).fetch });
  say(`serving http://localhost:${server.port}  (health: /health, tRPC: /trpc)`);
  if (demo) say(`demo login (shown once): ${demo.email} / ${demo.password}  business slug: ${demo.slug}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    await server.stop();
    await worker?.stop().catch(() => {});
    runtime.mailer.close();
    await deps.close().catch(() => {});
    await services.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`[desibazaar] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
