/**
 * Where a new job goes in line: round-robin across businesses, by priority.
 *
 * pg-boss hands out jobs by priority (highest first), then age. Each business's
 * jobs get consecutive priorities counting down from the head of the line:
 *
 *   next = min(head of the whole queue, this business's last queued job - 1)
 *
 * so a business with nothing queued starts level with the head, and one with
 * 10,000 queued jobs puts its next job behind its own 10,000, not behind
 * everyone else's. Two floods interleave one job each; a business that queues 10
 * jobs behind another's 10,000 is served next. This is start-time fair queuing
 * with the head of the line as virtual time; it resets to 0 whenever the queue
 * drains, so priorities stay within the longest backlog.
 *
 * Customers cannot see a business's queued jobs (RLS), and a business's
 * confirmation e-mails should not wait behind its own reports anyway: theirs go
 * level with the head.
 */
import { sql } from "drizzle-orm";
import type { EnqueueAs } from "../tenancy/jobs.ts";
import { rows } from "../tenancy/rows.ts";
import type { ScopedDb } from "../tenancy/transaction.ts";
import { TENANT_QUEUE } from "./queues.ts";

/** The last priority given per business in each open transaction: one look at the line per transaction. */
const lastGiven = new WeakMap<ScopedDb, Map<number, number>>();

async function lookUp(db: ScopedDb, as: EnqueueAs, tenantId: number): Promise<number> {
  // The business's own last place; "1" (so next is 0) when it has nothing queued or cannot see its queue.
  const ownLast =
    as === "customer"
      ? sql`1`
      : sql`(select min(j.priority) from pgboss.job_common j
              where j.name = ${TENANT_QUEUE} and j.group_id = ${String(tenantId)} and j.state < 'active')`;
  const [row] = await rows<{ head: number; own: number }>(
    db,
    sql`select least(coalesce(app.job_queue_head(${TENANT_QUEUE}), 0), 0)::int as head, coalesce(${ownLast}, 1)::int as own`,
  );
  return Math.min(row!.head, row!.own - 1);
}

/** One priority per job, in order; jobs of one business in one call get consecutive places. */
export async function nextPriorities(db: ScopedDb, as: EnqueueAs, tenantIds: number[]): Promise<number[]> {
  let given = lastGiven.get(db);
  if (!given) lastGiven.set(db, (given = new Map()));
  const out: number[] = [];
  for (const tenantId of tenantIds) {
    const last = given.get(tenantId);
    const next = last === undefined ? await lookUp(db, as, tenantId) : last - 1;
    given.set(tenantId, next);
    out.push(next);
  }
  return out;
}
