/**
 * The worker: one pg-boss instance on the jobs role (fetching,
 * settling, expiring lost runs, cron) and a dispatcher per queue whose
 * handlers run on the app's own scopes. Any number of workers may run against
 * one database: fetching uses SKIP LOCKED, the per-business cap is counted in
 * the database, and pg-boss lets one instance fire each cron occurrence.
 */
import type { Logger } from "pino";
import { PgBoss } from "pg-boss";
import { logger as rootLogger } from "../lib/logger.ts";
import type { Scopes } from "../tenancy/scopes.ts";
import { jobCatalog } from "./catalog.ts";
import { policyOptions, type JobPolicy, type JobRuntime } from "./definition.ts";
import { startDispatcher, type Dispatcher } from "./dispatcher.ts";
import type { JobEnvelope } from "./envelope.ts";
import { PGBOSS_SCHEMA, PLATFORM_DEAD_QUEUE, PLATFORM_QUEUE, TENANT_DEAD_QUEUE, TENANT_QUEUE } from "./queues.ts";
import { runJob } from "./run-job.ts";

export interface WorkerOptions {
  /** The jobs role's URL (src/db/roles.ts). */
  jobsUrl: string;
  scopes: Scopes;
  runtime: JobRuntime;
  /** Tenant jobs this process runs at once (JOB_CONCURRENCY). */
  slots?: number;
  /** Tenant jobs one business may have running at once, across all workers (JOB_TENANT_CONCURRENCY). */
  tenantCap?: number;
  /** How often an idle queue is asked for work. */
  idlePollMs?: number;
  /** How often lost runs (expired) are failed so they retry; pg-boss's supervisor. */
  superviseIntervalSeconds?: number;
  /** Keep the cron schedules of platform jobs (off in tests that must not sweep). */
  schedule?: boolean;
  log?: Logger;
}

export interface Worker {
  readonly boss: PgBoss;
  stop(graceMs?: number): Promise<void>;
}

/** One schedule per scheduled platform type; schedules of types that are gone or switched off are removed. */
async function syncSchedules(boss: PgBoss, runtime: JobRuntime, log: Logger): Promise<void> {
  const wanted = new Map<string, { cron: string; policy?: JobPolicy }>();
  for (const definition of jobCatalog.all()) {
    if (definition.kind !== "platform" || !definition.schedule) continue;
    if (definition.scheduledWhen && !definition.scheduledWhen(runtime)) continue;
    wanted.set(definition.type, { cron: definition.schedule, policy: definition.policy });
  }
  for (const existing of await boss.getSchedules(PLATFORM_QUEUE)) {
    if (!wanted.has(existing.key)) await boss.unschedule(PLATFORM_QUEUE, existing.key);
  }
  for (const [type, { cron, policy }] of wanted) {
    const envelope: JobEnvelope = { tenantId: null, type, data: {}, requestId: `cron:${type}` };
    // Each occurrence is queued with the type's own retries and expiry, as a sent job is (src/jobs/sender.ts).
    await boss.schedule(PLATFORM_QUEUE, cron, envelope, { key: type, tz: "UTC", ...policyOptions(policy) });
  }
  log.debug({ schedules: [...wanted.keys()] }, "platform job schedules in place");
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { slots = 8, tenantCap = 4, idlePollMs = 250, schedule = true } = options;
  const log = options.log ?? rootLogger.child({ component: "jobs" });
  const boss = new PgBoss({
    connectionString: options.jobsUrl,
    schema: PGBOSS_SCHEMA,
    migrate: false,
    supervise: true,
    // Expiry of lost runs happens in the monitor pass, which runs only as often as both intervals allow.
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 30,
    monitorIntervalSeconds: options.superviseIntervalSeconds ?? 30,
    schedule,
    // REINDEX needs ownership; the owner's migrations keep the indexes.
    reindex: false,
    max: 4,
    instanceName: "desibazaar-worker",
    application_name: "desibazaar:jobs",
  });
  boss.on("error", (error) => log.error({ err: error }, "pg-boss reported an error"));
  boss.on("warning", (warning) => log.warn({ warning: warning.message }, "pg-boss warning"));
  await boss.start();
  if (schedule) await syncSchedules(boss, options.runtime, log);

  const deps = { scopes: options.scopes, runtime: options.runtime };
  const dispatch = (queue: string, queueSlots: number, fetchers: number, cap?: number): Dispatcher =>
    startDispatcher({ boss, queue, slots: queueSlots, fetchers, tenantCap: cap, idlePollMs, log, run: (job) => runJob(deps, queue, job) });
  const dispatchers = [
    dispatch(TENANT_QUEUE, slots, 4, tenantCap),
    dispatch(TENANT_DEAD_QUEUE, 2, 1, 1),
    dispatch(PLATFORM_QUEUE, 2, 1),
    dispatch(PLATFORM_DEAD_QUEUE, 1, 1),
  ];
  log.info({ slots, tenantCap }, "job worker started");

  let stopped: Promise<void> | undefined;
  return {
    boss,
    stop(graceMs = 10_000) {
      return (stopped ??= (async () => {
        await Promise.all(dispatchers.map((d) => d.stop(graceMs)));
        await boss.stop({ graceful: false, timeout: 1000 });
        log.info("job worker stopped");
      })());
    },
  };
}
