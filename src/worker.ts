/**
 * `bun run worker`: runs background jobs and nothing else. Start as many as the
 * load needs, on any machines that reach the database: they share the queue
 * safely (see src/jobs/worker.ts). Uses DATABASE_URL (and the role URLs, given or
 * derived), or the embedded PostgreSQL `bun run start` is running under DATA_DIR.
 * SIGINT/SIGTERM: stops fetching, lets running jobs finish (up to 10 s), exits.
 */
import { openDatabase } from "./cli/database.ts";
import { env } from "./env.ts";
import { jobRuntimeFromEnv } from "./jobs/runtime.ts";
import { startWorker } from "./jobs/worker.ts";

const say = (message: string) => console.log(`[worker] ${message}`);

async function main() {
  // Handlers run on the role pools like requests do; the queue's machinery on the jobs role.
  const database = await openDatabase({ poolMax: env.DATABASE_POOL_MAX });
  const { deps } = database;
  const jobsUrl = database.access.roleUrls.jobs;
  const runtime = jobRuntimeFromEnv(env, deps.scopes);
  say(`database: ${database.where}`);
  say(`e-mail: ${env.SMTP_URL ? `sent through ${runtime.mailer.description}` : "SMTP_URL is not set: e-mails are written to the log, not sent"}`);
  const worker = await startWorker({ jobsUrl, scopes: deps.scopes, enqueuer: deps.jobs, runtime, slots: env.JOB_CONCURRENCY, tenantCap: env.JOB_TENANT_CONCURRENCY });
  say(`running ${env.JOB_CONCURRENCY} jobs at a time, at most ${env.JOB_TENANT_CONCURRENCY} per business`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    await worker.stop().catch(() => {});
    runtime.mailer.close();
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`[worker] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
