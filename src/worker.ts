/**
 * `bun run worker`: runs background jobs and nothing else. Start as many as the
 * load needs, on any machines that reach the database: they share the queue
 * safely (see src/jobs/worker.ts). Uses DATABASE_URL (and the role URLs, given or
 * derived), or the embedded PostgreSQL `bun run start` is running under DATA_DIR.
 * SIGINT/SIGTERM: stops fetching, lets running jobs finish (up to 10 s), exits.
 */
import { openDatabase } from "./cli/database.ts";
import { env } from "./env.ts";
import { emailNotice, jobRuntimeFromEnv, startWorkerFromEnv } from "./jobs/runtime.ts";
import { stopOnSignals } from "./lib/stop-signals.ts";

const say = (message: string) => console.log(`[worker] ${message}`);

async function main() {
  // Handlers run on the role pools like requests do; the queue's machinery on the jobs role.
  const database = await openDatabase({ poolMax: env.DATABASE_POOL_MAX });
  const { deps } = database;
  const jobsUrl = database.access.roleUrls.jobs;
  const runtime = jobRuntimeFromEnv(env, deps.scopes);
  say(`database: ${database.where}`);
  say(emailNotice(env, runtime));
  const worker = await startWorkerFromEnv(env, { jobsUrl, scopes: deps.scopes, runtime });
  say(`running ${env.JOB_CONCURRENCY} jobs at a time, at most ${env.JOB_TENANT_CONCURRENCY} per business`);

  stopOnSignals(async (signal) => {
    say(`${signal}: stopping`);
    await worker.stop().catch(() => {});
    runtime.mailer.close();
    await database.close().catch(() => {});
  });
}

main().catch((error) => {
  console.error(`[worker] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
