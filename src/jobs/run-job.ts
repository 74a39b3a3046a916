/**
 * Runs one fetched job: reads its envelope, finds its type, and calls the
 * handler inside the right scope. A tenant job runs in asTenant(tenantId), so
 * RLS bounds every query of its handler to that business, and its log lines
 * carry the tenant and the request id that queued it. A job that names no
 * tenant (or a type the queue may not run) never reaches a handler.
 */
import type { JobWithMetadata } from "pg-boss";
import { logger } from "../lib/logger.ts";
import { recordEffect } from "../services/jobs/effects.ts";
import { withContext } from "../tenancy/request-context.ts";
import type { Scopes } from "../tenancy/scopes.ts";
import { jobCatalog } from "./catalog.ts";
import type { JobInfo, JobRuntime, PlatformJobDefinition, TenantJobDefinition } from "./definition.ts";
import { JobRefused } from "./dispatcher.ts";
import { JobEnvelope } from "./envelope.ts";
import { PLATFORM_DEAD_QUEUE, PLATFORM_QUEUE, TENANT_DEAD_QUEUE, TENANT_QUEUE } from "./queues.ts";

export interface RunDeps {
  scopes: Scopes;
  runtime: JobRuntime;
}

const SIDE: Record<string, { kind: "tenant" | "platform"; dead: boolean }> = {
  [TENANT_QUEUE]: { kind: "tenant", dead: false },
  [TENANT_DEAD_QUEUE]: { kind: "tenant", dead: true },
  [PLATFORM_QUEUE]: { kind: "platform", dead: false },
  [PLATFORM_DEAD_QUEUE]: { kind: "platform", dead: true },
};

/** The failure a dead-lettered job carried: the message only (outputs are ours, but be strict). */
function failureOf(job: JobWithMetadata<unknown>): string {
  const output = job.sourceOutput as { message?: unknown } | null;
  return typeof output?.message === "string" ? output.message.slice(0, 500) : "unknown failure";
}

function parseData<D>(definition: { type: string; data: { safeParse(v: unknown): { success: true; data: D } | { success: false } } }, data: unknown): D {
  const parsed = definition.data.safeParse(data);
  if (!parsed.success) throw new JobRefused(`${definition.type}: its data does not match the type`);
  return parsed.data;
}

async function runTenantJob(deps: RunDeps, definition: TenantJobDefinition, tenantId: number, data: unknown, info: JobInfo, job: JobWithMetadata<unknown>) {
  const parsed = parseData(definition, data);
  return deps.scopes.asTenant(tenantId, async (scope) => {
    const log = logger.child({ jobId: info.id, jobType: info.type, attempt: info.attempt });
    const ctx = { scope, data: parsed, job: info, log, runtime: deps.runtime };
    if (!info.deadLetterOf) return definition.run(ctx);
    // Once per dead job, even if this dead-letter copy itself runs twice.
    if (!(await recordEffect(scope, `dead-letter:${info.deadLetterOf}`, info.id))) return;
    const error = failureOf(job);
    log.warn({ deadLetterOf: info.deadLetterOf, error }, "a job's retries ran out");
    await definition.onDeadLetter?.({ ...ctx, error });
  });
}

async function runPlatformJob(deps: RunDeps, definition: PlatformJobDefinition, data: unknown, info: JobInfo, job: JobWithMetadata<unknown>) {
  const parsed = parseData(definition, data);
  const log = logger.child({ jobId: info.id, jobType: info.type, attempt: info.attempt });
  if (info.deadLetterOf) {
    log.error({ deadLetterOf: info.deadLetterOf, error: failureOf(job) }, "a platform job's retries ran out");
    return;
  }
  await definition.run({
    admin: (fn) => deps.scopes.asSuperAdmin(fn),
    data: parsed,
    job: info,
    log,
    runtime: deps.runtime,
  });
}

export async function runJob(deps: RunDeps, queue: string, job: JobWithMetadata<unknown>): Promise<void> {
  const side = SIDE[queue];
  if (!side) throw new JobRefused(`no runner for queue ${queue}`);
  const envelope = JobEnvelope.safeParse(job.data);
  if (!envelope.success) throw new JobRefused("the job's data is not an envelope { tenantId, type, data, requestId }");
  const { tenantId, type, data, requestId } = envelope.data;
  const definition = jobCatalog.get(type);
  if (!definition) throw new JobRefused(`unknown job type ${type}`);
  if (definition.kind !== side.kind) throw new JobRefused(`a ${definition.kind} job (${type}) in the ${queue} queue`);
  const info: JobInfo = { id: job.id, type, attempt: job.retryCount + 1, requestId, deadLetterOf: side.dead ? (job.sourceId ?? job.id) : undefined };

  return withContext({ requestId, tenantId: tenantId ?? undefined, userId: undefined }, () => {
    if (definition.kind === "platform") return runPlatformJob(deps, definition, data, info, job);
    if (tenantId === null) throw new JobRefused(`a ${type} job without a tenant: tenant jobs run only as their business`);
    return runTenantJob(deps, definition, tenantId, data, info, job);
  });
}
