import { sql } from "drizzle-orm";
import { TENANT_DEAD_QUEUE, TENANT_QUEUE } from "../../jobs/queues.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { rows } from "../../tenancy/rows.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { JobState, JobStatus, JobStatusInput, ListJobsInput } from "./schemas.ts";

type Row = {
  id: string;
  type: string | null;
  state: JobState;
  attempts: number;
  created_on: Date | string;
  completed_on: Date | string | null;
};

// A business reads only its two queues (sql/030_jobs.sql's policies name them too).
const COLUMNS = sql`j.id::text as id, j.data->>'type' as type, j.state::text as state,
  (case when j.started_on is null then 0 else j.retry_count + 1 end)::int as attempts, j.created_on, j.completed_on`;

function toStatus(row: Row): JobStatus {
  const status: JobStatus = { id: row.id, type: row.type ?? "unknown", state: row.state, attempts: row.attempts, createdAt: new Date(row.created_on) };
  if (row.completed_on) status.completedAt = new Date(row.completed_on);
  return status;
}

/** One of the business's own jobs; another business's id is NOT_FOUND like a missing one (RLS hides it too). */
export async function jobStatus(scope: TenantScope, input: JobStatusInput): Promise<JobStatus> {
  const [row] = await rows<Row>(scope.db, sql`
    select ${COLUMNS} from pgboss.job j
     where j.name in (${TENANT_QUEUE}, ${TENANT_DEAD_QUEUE}) and j.id = ${input.id}::uuid
       and j.group_id = ${String(scope.businessId)}`);
  if (!row) throw new NotFoundError("Job not found");
  return toStatus(row);
}

/** The business's most recent jobs, newest first. */
export async function listJobs(scope: TenantScope, input: ListJobsInput): Promise<{ items: JobStatus[] }> {
  const state = input.state ? sql`and j.state = ${input.state}::pgboss.job_state` : sql``;
  const recent = await rows<Row>(scope.db, sql`
    select ${COLUMNS} from pgboss.job j
     where j.group_id = ${String(scope.businessId)} and j.name in (${TENANT_QUEUE}, ${TENANT_DEAD_QUEUE}) ${state}
     order by j.created_on desc limit ${input.limit}`);
  return { items: recent.map(toStatus) };
}
