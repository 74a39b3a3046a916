/**
 * Installs or upgrades pg-boss's schema and our queues, as the owner, before
 * the rest of the migration (sql/030_jobs.sql then grants and policies on the
 * pgboss tables, so they must exist). Workers never migrate: they connect as
 * desibazaar_jobs, which owns nothing and cannot create anything.
 *
 * runMigrations (src/db/migrate.ts) calls it first, once the database exists.
 */
import { PgBoss, type Queue } from "pg-boss";
import { PGBOSS_SCHEMA, QUEUES } from "./queues.ts";
import { JOBS_ROLE } from "./role.ts";

export interface PrepareJobQueueOptions {
  ownerUrl: string;
  jobsUrl: string;
  log?: (message: string) => void;
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Creates the role if missing (roles are cluster-wide: another database may have made it) and sets its password. */
async function ensureJobsRole(boss: PgBoss, jobsUrl: string): Promise<void> {
  const db = boss.getDb();
  await db.executeSql(`DO $$ BEGIN
      CREATE ROLE ${JOBS_ROLE} LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  const password = decodeURIComponent(new URL(jobsUrl).password);
  await db.executeSql(
    `ALTER ROLE ${JOBS_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION${password ? ` PASSWORD ${quote(password)}` : ""}`,
  );
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

export async function prepareJobQueue({ ownerUrl, jobsUrl, log = () => {} }: PrepareJobQueueOptions): Promise<void> {
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
    await ensureJobsRole(boss, jobsUrl);
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false, timeout: 1000 });
  }
}
