/**
 * Plan limits. Counted limits (products, staff seats) compare live counts with
 * the effective plan; metered ones (bookings per month) go through
 * app.consume_monthly_quota, which counts and checks in one atomic statement.
 * Exceeding a limit is FORBIDDEN with a message naming the limit and the usage.
 */
import { and, count, eq, isNull, ne, sql } from "drizzle-orm";
import { businessAccess, products, subscriptionPlans } from "../../db/schema/index.ts";
import { LimitExceededError, postgresErrorOf } from "../../lib/errors.ts";
import type { ScopedDb } from "../../tenancy/transaction.ts";
import type { CustomerScope, TenantScope } from "../../tenancy/scopes.ts";

export type CountedLimit = "products" | "staffSeats";

export async function effectivePlan(db: ScopedDb, businessId: number, now: Date) {
  const [row] = (await db.execute(sql`select app.effective_plan_id(${businessId}, ${now.toISOString()}::timestamptz) as id`)) as unknown as {
    id: string;
  }[];
  const [plan] = await db.select().from(subscriptionPlans).where(eq(subscriptionPlans.id, row!.id));
  return plan!;
}

async function currentUsage(scope: TenantScope, limit: CountedLimit): Promise<number> {
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

const LABELS: Record<CountedLimit, { column: "maxProducts" | "maxStaffSeats"; noun: string }> = {
  products: { column: "maxProducts", noun: "products" },
  staffSeats: { column: "maxStaffSeats", noun: "staff seats" },
};

/** Refuses when adding `adding` more would pass the plan's limit. */
export async function assertWithinLimit(scope: TenantScope, limit: CountedLimit, adding = 1, now = new Date()): Promise<void> {
  const plan = await effectivePlan(scope.db, scope.businessId, now);
  const max = plan[LABELS[limit].column];
  if (max === null) return;
  const used = await currentUsage(scope, limit);
  if (used + adding > max) {
    throw new LimitExceededError(`Plan limit reached: the ${plan.name} plan allows ${max} ${LABELS[limit].noun}; this business has ${used}`);
  }
}

/** Counts one booking against the business's monthly allowance. */
export async function consumeBookingQuota(scope: CustomerScope, businessId: number, now = new Date()): Promise<void> {
  try {
    await scope.db.execute(sql`select app.consume_monthly_quota(${businessId}, 'bookings', ${now.toISOString()}::timestamptz)`);
  } catch (error) {
    const pg = postgresErrorOf(error) as { code: string; message?: string } | undefined;
    if (pg?.code === "P0003") throw new LimitExceededError(`Plan limit reached for this business: ${pg.message?.replace(/^plan limit reached: /, "")}`);
    throw error;
  }
}
