/**
 * applyDueSubscriptionChanges: the rollover job. Finds every business whose
 * current subscription period (or trial) ended at or before `now` and applies
 * what is due (see rollover.ts). Runs on the super-admin role because it spans
 * businesses; each business is a savepoint, so one failure does not undo the rest.
 */
import { sql } from "drizzle-orm";
import { describeError, logger } from "../../lib/logger.ts";
import { EFFECTIVE_PLAN } from "../../tenancy/rate-policy.ts";
import { rows } from "../../tenancy/rows.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { rollOverSubscription, type RolloverEvent } from "./rollover.ts";

export interface ApplyDueOptions {
  now?: Date;
  /** Only these businesses (tests; an operator fixing one business). */
  businessIds?: number[];
  /** At most this many businesses per call; call again while `remaining` is true. */
  limit?: number;
}

export interface ApplyDueResult {
  processed: number;
  events: Partial<Record<RolloverEvent, number>>;
  failed: { businessId: number; error: string }[];
  remaining: boolean;
}

export async function applyDueSubscriptionChanges(scope: AdminScope, options: ApplyDueOptions = {}): Promise<ApplyDueResult> {
  const { now = new Date(), businessIds, limit = 500 } = options;
  const only = businessIds ? sql`and s.business_id = any(${`{${businessIds.map(Number).join(",")}}`}::bigint[])` : sql``;
  const due = await rows<{ business_id: string }>(
    scope.db,
    sql`
    select s.business_id from public.business_subscriptions s
     where s.current_period_end <= ${now.toISOString()}::timestamptz and s.status <> 'canceled'
       and s.id = (select max(s2.id) from public.business_subscriptions s2 where s2.business_id = s.business_id)
       ${only}
     order by s.current_period_end
     limit ${limit + 1}`,
  );

  const result: ApplyDueResult = { processed: 0, events: {}, failed: [], remaining: due.length > limit };
  for (const { business_id } of due.slice(0, limit)) {
    const businessId = Number(business_id);
    try {
      const events = await scope.db.transaction(() => rollOverSubscription(scope.db, businessId, now));
      if (events.length) await scope.cache.tenant(businessId).invalidate(EFFECTIVE_PLAN.resource, EFFECTIVE_PLAN.id);
      for (const e of events) result.events[e] = (result.events[e] ?? 0) + 1;
      result.processed++;
    } catch (error) {
      logger.error({ err: error, businessId }, "subscription rollover failed");
      result.failed.push({ businessId, error: describeError(error) });
    }
  }
  return result;
}
