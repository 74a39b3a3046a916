/**
 * The four pg-boss queues and what every job in them inherits. Two queues, not
 * one per job type: fairness (src/jobs/dispatcher.ts) is decided across all of a
 * business's work, so a flood of one type cannot starve another business's
 * e-mails, and one dead-letter queue per side is one place to look.
 *
 *   tenant-jobs          work for one business; runs under asTenant(tenantId)
 *   tenant-jobs.dead     tenant jobs whose retries ran out; runs the type's onDeadLetter under the same business
 *   platform-jobs        `platform.*` types (scheduled sweeps); runs on the super-admin scope
 *   platform-jobs.dead   the same for platform jobs
 *
 * The queue names are also written into sql/030_jobs.sql's policies: change both.
 */
import type { Queue } from "pg-boss";

export const PGBOSS_SCHEMA = "pgboss";
export const TENANT_QUEUE = "tenant-jobs";
export const TENANT_DEAD_QUEUE = "tenant-jobs.dead";
export const PLATFORM_QUEUE = "platform-jobs";
export const PLATFORM_DEAD_QUEUE = "platform-jobs.dead";

const DAY = 86_400;

/** Retries back off exponentially (pg-boss: retryDelay * 2^n with jitter), capped at 10 minutes. */
const retrying = { retryLimit: 5, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 } as const;

/**
 * Dead-letter queues are created first (a queue's deadLetter must exist).
 * expireInSeconds is how long a run may hold a job before it counts as lost
 * (a killed worker) and is retried; job types may shorten it.
 */
export const QUEUES: readonly Queue[] = [
  { name: TENANT_DEAD_QUEUE, retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 300, retentionSeconds: 30 * DAY, deleteAfterSeconds: 30 * DAY },
  { name: PLATFORM_DEAD_QUEUE, retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 300, retentionSeconds: 30 * DAY, deleteAfterSeconds: 30 * DAY },
  { name: TENANT_QUEUE, ...retrying, expireInSeconds: 300, retentionSeconds: 14 * DAY, deleteAfterSeconds: 7 * DAY, deadLetter: TENANT_DEAD_QUEUE },
  { name: PLATFORM_QUEUE, ...retrying, expireInSeconds: 1800, retentionSeconds: 14 * DAY, deleteAfterSeconds: 7 * DAY, deadLetter: PLATFORM_DEAD_QUEUE },
];

/** Platform-wide job types say so in their name; every other type needs a tenant. */
export const isPlatformType = (type: string) => type.startsWith("platform.");
