/** The plan catalogue as the subscription services use it: prices, order, billing periods. */
import { desc, eq } from "drizzle-orm";
import { businessSubscriptions, subscriptionPlans } from "../../db/schema/index.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { BillingCycle } from "../../db/schema/enums.ts";
import type { ScopedDb } from "../../tenancy/transaction.ts";

export type Plan = typeof subscriptionPlans.$inferSelect;
export type Subscription = typeof businessSubscriptions.$inferSelect;
export type { BillingCycle };

export async function loadPlan(db: ScopedDb, id: string): Promise<Plan> {
  const [plan] = await db.select().from(subscriptionPlans).where(eq(subscriptionPlans.id, id));
  if (!plan) throw new ValidationError(`Unknown plan ${id}`);
  return plan;
}

export const priceFor = (plan: Plan, cycle: BillingCycle) => (cycle === "yearly" ? plan.yearlyPriceCents : plan.monthlyPriceCents);

/** Plans are ordered by price: moving to a dearer plan is an upgrade (applied now), to a cheaper one a downgrade (at period end). */
export const isUpgrade = (from: Plan, to: Plan) => to.monthlyPriceCents > from.monthlyPriceCents;

/**
 * The end of a billing period that starts at `start`: the same day of the next
 * month (or year), clamped to the month's last day (31 Jan → 28/29 Feb).
 */
export function addCycle(start: Date, cycle: BillingCycle): Date {
  const months = cycle === "yearly" ? 12 : 1;
  const day = start.getUTCDate();
  const shifted = new Date(start.getTime());
  shifted.setUTCDate(1);
  shifted.setUTCMonth(shifted.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(day, lastDay));
  return shifted;
}

/** The business's current subscription (the newest row), locked when it is about to change. */
export async function currentSubscription(db: ScopedDb, businessId: number, options: { lock?: boolean } = {}): Promise<Subscription> {
  const query = db
    .select()
    .from(businessSubscriptions)
    .where(eq(businessSubscriptions.businessId, businessId))
    .orderBy(desc(businessSubscriptions.id))
    .limit(1);
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw new NotFoundError("This business has no subscription");
  return row;
}

export async function updateSubscription(db: ScopedDb, sub: Subscription, patch: Partial<Subscription>): Promise<Subscription> {
  const { businessId: _b, id: _i, createdAt: _c, ...changes } = patch;
  const [row] = await db
    .update(businessSubscriptions)
    .set(changes)
    .where(eq(businessSubscriptions.id, sub.id))
    .returning();
  return row!;
}
