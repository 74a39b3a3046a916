/**
 * Plan limits. Counted limits (products, staff seats) compare live counts with
 * the effective plan; metered ones (bookings per month) are counted by the
 * database as each booking is inserted (app_private.consume_monthly_quota, run by
 * the bookings trigger in sql/007), which counts and checks in one atomic statement.
 * Exceeding a limit is FORBIDDEN with a message naming the limit and the usage.
 */
import { and, count, eq, isNull, ne, sql } from "drizzle-orm";
import { businessAccess, products, subscriptionPlans, usageCounters } from "../../db/schema/index.ts";
import { LimitExceededError } from "../../lib/errors.ts";
import type { ScopedDb } from "../../tenancy/transaction.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { Plan } from "./plans.ts";

export type CountedLimit = "products" | "staffSeats";

/**
 * The plan whose limits apply at `now` (trial over or cancellation effective → free),
 * in one query. app.effective_plan is inlined by the planner (sql/008), so the
 * rule costs nothing beyond the two index lookups.
 */
export async function effectivePlan(db: ScopedDb, businessId: number, now: Date): Promise<Plan> {
  const [plan] = await db
    .select()
    .from(subscriptionPlans)
    .where(eq(subscriptionPlans.id, sql`(select e.plan_id from app.effective_plan(${businessId}, ${now.toISOString()}::timestamptz) e)`));
  return plan!;
}

/** Live count behind a counted limit (staff seats: every member but the owner). */
export async function countedUsage(scope: TenantScope, limit: CountedLimit): Promise<number> {
  if (limit === "products") {
    const [row] = await scope.db
      .select({ n: count() })
      .from(products)
      .where(and(eq(products.businessId, scope.businessId), isNull(products.deletedAt)));
    return row!.n;
  }
  const [row] = await scope.db
    .select({ n: count() })
    .from(businessAccess)
    .where(and(eq(businessAccess.businessId, scope.businessId), ne(businessAccess.role, "owner")));
  return row!.n;
}

/** The metered usage counted this calendar month (UTC), as app.consume_monthly_quota counts it. */
export async function monthlyUsage(scope: TenantScope, metric: "bookings", now: Date): Promise<number> {
  const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const [row] = await scope.db
    .select({ value: usageCounters.value })
    .from(usageCounters)
    .where(and(eq(usageCounters.businessId, scope.businessId), eq(usageCounters.metric, metric), eq(usageCounters.periodStart, periodStart)));
  return row?.value ?? 0;
}

export const LIMITS: Record<CountedLimit, { column: "maxProducts" | "maxStaffSeats"; noun: string }> = {
  products: { column: "maxProducts", noun: "products" },
  staffSeats: { column: "maxStaffSeats", noun: "staff seats" },
};

/** Serialises everything that counts `limit` for this business, until commit. */
function lockLimit(scope: TenantScope, limit: CountedLimit) {
  return scope.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`plan-limit:${limit}:${scope.businessId}`}, 0))`);
}

/**
 * Refuses when adding `adding` more would pass the plan's limit. Count-then-insert
 * races (concurrent creators would all see a free slot), so this first takes a
 * per-business, per-limit lock held until commit: the next caller counts after
 * this one's row is visible.
 */
export async function assertWithinLimit(scope: TenantScope, limit: CountedLimit, adding = 1, now = new Date()): Promise<void> {
  await lockLimit(scope, limit);
  const plan = await effectivePlan(scope.db, scope.businessId, now);
  const max = plan[LIMITS[limit].column];
  if (max === null) return;
  const used = await countedUsage(scope, limit);
  if (used + adding > max) {
    throw new LimitExceededError(`Plan limit reached: the ${plan.name} plan allows ${max} ${LIMITS[limit].noun}; this business has ${used}`);
  }
}

/**
 * Refuses a move to `plan` while the business uses more than it allows, naming
 * every limit it is over, with the numbers.
 */
export async function assertFitsPlan(scope: TenantScope, plan: Plan): Promise<void> {
  const over: string[] = [];
  for (const limit of Object.keys(LIMITS) as CountedLimit[]) {
    const max = plan[LIMITS[limit].column];
    if (max === null) continue;
    await lockLimit(scope, limit); // no product or seat can be added between this count and the plan change
    const used = await countedUsage(scope, limit);
    if (used > max) over.push(`${used} ${LIMITS[limit].noun} (the ${plan.name} plan allows ${max})`);
  }
  if (over.length) {
    throw new LimitExceededError(`Cannot move to the ${plan.name} plan: this business has ${over.join(" and ")}; remove some first`);
  }
}

/**
 * What a customer is told when a business's monthly allowance of bookings is used
 * up (the bookings trigger raises P0003, sql/007): its plan and usage are the
 * business's own affairs; members see the numbers in subscriptions.current.
 */
export const CUSTOMER_QUOTA_REFUSAL = "This business is not taking more bookings this month";
