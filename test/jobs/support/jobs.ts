/**
 * Helpers for the job tests: a worker on the shared harness, the queue read as
 * the owner (to see what RLS hides from tenants), waiting, and clean-up of the
 * jobs a test made.
 */
import postgres from "postgres";
import type { JobRuntime } from "../../../src/jobs/definition.ts";
import { PLATFORM_QUEUE } from "../../../src/jobs/queues.ts";
import { runJob } from "../../../src/jobs/run-job.ts";
import { startWorker, type Worker, type WorkerOptions } from "../../../src/jobs/worker.ts";
import { createMailer } from "../../../src/lib/mailer.ts";
import { deps, ownerUrl, urls } from "../../setup/harness.ts";
import { waitFor } from "../../setup/wait.ts";
import "./probe-jobs.ts";

export const jobsUrl = urls.jobs;

/** The owner's view of pgboss (superuser: no RLS), for assertions and clean-up only. */
export const owner = postgres(ownerUrl, { max: 2, idle_timeout: 5, onnotice: () => {} });

export function testRuntime(overrides: Partial<JobRuntime> = {}): JobRuntime {
  return { mailer: createMailer(undefined), mailFrom: "bookings@desibazaar.test", orderHoldMinutes: 30, ...overrides };
}

/** Runs one platform job of `type` the way the worker runs it (runJob), now, without waiting for its cron time. */
export const runPlatform = (type: string, runtime = testRuntime()) =>
  runJob({ scopes: deps.scopes, runtime }, PLATFORM_QUEUE, {
    id: crypto.randomUUID(),
    data: { tenantId: null, type, data: {}, requestId: `test:${type}` },
    retryCount: 0,
    expireInSeconds: 600,
    sourceId: null,
  } as never);

/** A worker on the harness's scopes: no cron, lost runs detected within a second, quick polling. */
export function testWorker(options: Partial<WorkerOptions> = {}): Promise<Worker> {
  return startWorker({
    jobsUrl,
    scopes: deps.scopes,
    runtime: testRuntime(),
    schedule: false,
    superviseIntervalSeconds: 1,
    idlePollMs: 50,
    ...options,
  });
}

export interface JobRow {
  id: string;
  name: string;
  state: string;
  data: { tenantId: number | null; type: string; data: Record<string, unknown>; requestId: string };
  group_id: string | null;
  priority: number;
  retry_count: number;
  source_id: string | null;
}

export async function jobRow(id: string): Promise<JobRow | undefined> {
  const [row] = await owner<JobRow[]>`select id::text, name, state::text, data, group_id, priority, retry_count, source_id::text from pgboss.job where id = ${id}::uuid`;
  return row;
}

export async function jobsOf(businessId: number): Promise<JobRow[]> {
  return owner<JobRow[]>`select id::text, name, state::text, data, group_id, priority, retry_count, source_id::text
                           from pgboss.job where group_id = ${String(businessId)} order by created_on`;
}

/** Removes every job of these businesses (and these job ids), dead-letter copies included. */
export async function deleteJobs(businessIds: number[], ids: string[] = []): Promise<void> {
  await owner`delete from pgboss.job where group_id = any(${businessIds.map(String)}) or id = any(${ids}::uuid[])`;
}

/** Waits until no job is ready to run in the tenant queue (other test files leave confirmation e-mails behind). */
export async function drainTenantQueue(timeoutMs = 30_000): Promise<void> {
  await waitFor(
    "the tenant queue to drain",
    async () => {
      const [row] = await owner<{ n: number }[]>`
        select count(*)::int as n from pgboss.job
         where name = 'tenant-jobs' and state in ('created', 'retry', 'active') and start_after <= now()`;
      return row!.n === 0;
    },
    timeoutMs,
  );
}
