import { desc, eq } from "drizzle-orm";
import { businessSubscriptions, businessTenants } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

/** The scope's own tenant row with its current subscription. */
export async function currentTenant(scope: TenantScope) {
  // The explicit business_id filter keeps the index in play; RLS enforces it regardless.
  const [tenant] = await scope.db.select().from(businessTenants).where(eq(businessTenants.id, scope.businessId));
  if (!tenant) throw new NotFoundError("Business not found");
  const [subscription] = await scope.db
    .select({
      planId: businessSubscriptions.planId,
      status: businessSubscriptions.status,
      billingCycle: businessSubscriptions.billingCycle,
      trialEndsAt: businessSubscriptions.trialEndsAt,
      currentPeriodEnd: businessSubscriptions.currentPeriodEnd,
      cancelAtPeriodEnd: businessSubscriptions.cancelAtPeriodEnd,
    })
    .from(businessSubscriptions)
    .where(eq(businessSubscriptions.businessId, scope.businessId))
    .orderBy(desc(businessSubscriptions.id))
    .limit(1);
  return {
    businessId: tenant.id,
    tenantKey: tenant.tenantKey,
    slug: tenant.slug,
    name: tenant.name,
    industryType: tenant.industryType,
    status: tenant.status,
    tenantTier: tenant.tenantTier,
    dataResidency: tenant.dataResidency,
    createdAt: tenant.createdAt,
    subscription: subscription ?? null,
  };
}
