/**
 * The JobEnqueuer behind `scope.jobs`: checks a job against its type, wraps it
 * in its envelope, places it in line (fair-priority.ts) and has pg-boss insert
 * it on the caller's own connection, inside the caller's transaction.
 *
 * pg-boss needs a started instance to build its insert (the queue's settings);
 * this one is started on first use, on the tenant role's URL (it only reads the
 * queue list), with one connection and no maintenance of its own.
 */
import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { PgBoss, fromDrizzle, type JobInsert } from "pg-boss";
import { ForbiddenError, ValidationError } from "../lib/errors.ts";
import { logger } from "../lib/logger.ts";
import { currentContext } from "../tenancy/request-context.ts";
import type { EnqueueAs, EnqueueRequest, JobEnqueuer } from "../tenancy/jobs.ts";
import type { ScopedDb } from "../tenancy/transaction.ts";
import { zodSummary } from "../trpc/errors.ts";
import { jobCatalog } from "./catalog.ts";
import { policyOptions, type TenantJobDefinition } from "./definition.ts";
import type { JobEnvelope } from "./envelope.ts";
import { nextPriorities } from "./fair-priority.ts";
import { PGBOSS_SCHEMA, TENANT_QUEUE } from "./queues.ts";

export interface JobSender extends JobEnqueuer {
  close(): Promise<void>;
}

/** A uuid determined by (business, type, key): the same send twice is one job (pg-boss ignores a duplicate id). */
function keyedJobId(tenantId: number, type: string, key: string): string {
  const hex = createHash("sha256").update(`${tenantId}\u0000${type}\u0000${key}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function definitionFor(request: EnqueueRequest, as: EnqueueAs): TenantJobDefinition {
  const definition = jobCatalog.get(request.type);
  if (!definition) throw new ValidationError(`Unknown job type ${JSON.stringify(String(request.type).slice(0, 80))}`);
  if (definition.kind !== "tenant") throw new ValidationError(`${request.type} is a platform job; only the scheduler queues it`);
  if (!Number.isSafeInteger(request.tenantId) || request.tenantId <= 0) {
    throw new ValidationError(`A ${request.type} job needs the business it runs for`);
  }
  if (as === "customer" && !definition.customerMay) throw new ForbiddenError(`Customers cannot queue ${request.type} jobs`);
  return definition;
}

function toInsert(request: EnqueueRequest, as: EnqueueAs, requestId: string): JobInsert {
  const definition = definitionFor(request, as);
  const parsed = definition.data.safeParse(request.data);
  if (!parsed.success) throw new ValidationError(`${request.type}: ${zodSummary(parsed.error.issues)}`);
  const envelope: JobEnvelope = { tenantId: request.tenantId, type: request.type, data: parsed.data as Record<string, unknown>, requestId };
  const { startAfter, key } = request.options ?? {};
  return {
    id: key === undefined ? randomUUID() : keyedJobId(request.tenantId, request.type, key),
    data: envelope,
    // Fairness group: sql/030 requires it to equal the envelope's tenant; the dispatcher caps each group's concurrency.
    group: { id: String(request.tenantId) },
    startAfter,
    ...policyOptions(definition.policy),
  };
}

export function createJobSender(url: string): JobSender {
  let started: Promise<PgBoss> | undefined;
  let instance: PgBoss | undefined;
  const boss = () =>
    (started ??= (async () => {
      instance = new PgBoss({
        connectionString: url,
        schema: PGBOSS_SCHEMA,
        migrate: false,
        supervise: false,
        schedule: false,
        registerInstance: false,
        max: 1,
        application_name: "desibazaar:job-sender",
      });
      instance.on("error", (error) => logger.warn({ err: error }, "job sender: pg-boss reported an error"));
      try {
        return await instance.start();
      } catch (error) {
        started = undefined; // the next send tries again (the database may have been starting)
        throw error;
      }
    })());

  return {
    async enqueue(db: ScopedDb, as: EnqueueAs, requests: EnqueueRequest[]) {
      if (!requests.length) return [];
      const requestId = currentContext()?.requestId ?? randomUUID();
      const jobs = requests.map((r) => toInsert(r, as, requestId));
      const priorities = await nextPriorities(db, as, requests.map((r) => r.tenantId));
      jobs.forEach((job, i) => (job.priority = priorities[i]));
      await (await boss()).insert(TENANT_QUEUE, jobs, { db: fromDrizzle(db, sql) });
      return jobs.map((job) => job.id!);
    },
    async close() {
      const pending = started;
      started = undefined;
      if (pending) await pending.catch(() => undefined);
      await instance?.stop({ graceful: false, timeout: 1000 }).catch(() => undefined);
    },
  };
}
