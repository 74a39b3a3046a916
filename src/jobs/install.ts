/**
 * Installs or upgrades pg-boss's schema and our queues, as the owner, before
 * the rest of the migration (sql/030_jobs.sql then grants and policies on the
 * pgboss tables, so they must exist). Workers never migrate: they connect as
 * the database's jobs role (src/db/roles.ts, created by sql/001), which owns
 * nothing and cannot create anything.
 *
 * runMigrations (src/db/migrate.ts) calls it first, once the database exists.
 */
import { PgBoss, type Queue } from "pg-boss";
import { PGBOSS_SCHEMA, QUEUES } from "./queues.ts";

export interface PrepareJobQueueOptions {
  ownerUrl: string;
  log?: (message: string) => void;
}

/** Creates missing queues and brings existing ones to the options in queues.ts. */
async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const { name, ...options } of QUEUES) {
    if (!(await boss.getQueue(name))) {
      await boss.createQueue(name, options);
      continue;
    }
    const { policy: _policy, partition: _partition, ...updatable } = options as Queue;
    await boss.updateQueue(name, updatable);
  }
}

export async function prepareJobQueue({ ownerUrl, log = () => {} }: PrepareJobQueueOptions): Promise<void> {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    schema: PGBOSS_SCHEMA,
    migrate: true,
    supervise: false,
    schedule: false,
    registerInstance: false,
    max: 1,
    application_name: "desibazaar:migrate-jobs",
  });
  // What must succeed throws from start() and the calls below; background chatter is only reported.
  boss.on("error", (error) => log(`job queue install: ${error.message}`));
  log("installing the job queue (pg-boss)");
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false, timeout: 1000 });
  }
}
