import { sql } from "drizzle-orm";
import { TENANT_DEAD_QUEUE, TENANT_QUEUE } from "../../jobs/queues.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { rows } from "../../tenancy/rows.ts";
import { JOB_STATES, type JobState, type QueueDepth, type QueueDepthInput } from "./schemas.ts";

type Counts = Record<JobState, number>;

const empty = (): Counts => Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Counts;

/** Jobs per queue and state, and per business and state, across every business (super admins). */
export async function queueDepth(scope: AdminScope, input: QueueDepthInput): Promise<QueueDepth> {
  const perQueue = await rows<{ name: string; state: JobState; n: number }>(
    scope.db,
    sql`select j.name, j.state::text as state, count(*)::int as n from pgboss.job j group by 1, 2 order by 1`,
  );
  const perBusiness = await rows<{ business_id: string; slug: string | null; name: string | null; state: JobState; n: number }>(scope.db, sql`
    with counts as (
      select j.group_id, j.state::text as state, count(*)::int as n
        from pgboss.job j
       where j.name in (${TENANT_QUEUE}, ${TENANT_DEAD_QUEUE}) and j.group_id ~ '^[0-9]{1,18}$'
       group by 1, 2),
    top as (
      select group_id, sum(n) filter (where state in ('created', 'retry')) as waiting, sum(n) as total
        from counts group by 1 order by waiting desc nulls last, total desc limit ${input.businesses})
    select c.group_id::bigint as business_id, t.slug, t.name, c.state, c.n
      from counts c join top using (group_id)
      left join public.business_tenants t on t.id = c.group_id::bigint
     order by top.waiting desc nulls last, top.total desc, c.group_id`);

  const queues = new Map<string, Counts>();
  for (const r of perQueue) (queues.get(r.name) ?? queues.set(r.name, empty()).get(r.name)!)[r.state] = r.n;
  const businesses = new Map<number, QueueDepth["businesses"][number]>();
  for (const r of perBusiness) {
    const id = Number(r.business_id);
    const entry = businesses.get(id) ?? businesses.set(id, { businessId: id, slug: r.slug, name: r.name, states: empty() }).get(id)!;
    entry.states[r.state] = r.n;
  }
  return { queues: [...queues].map(([name, states]) => ({ name, states })), businesses: [...businesses.values()] };
}
