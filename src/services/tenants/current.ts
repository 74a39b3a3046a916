import { desc, eq, sql } from "drizzle-orm";
import { businessSettings, businessSubscriptions, businessTenants } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

/** The scope's own tenant row with its current subscription, in one query (one round trip). */
export async function currentTenant(scope: TenantScope) {
  const latest = scope.db
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
    .limit(1)
    .as("latest");
  // The explicit business_id filter keeps the index in play; RLS enforces it regardless.
  const [row] = await scope.db
    .select({
      tenant: businessTenants,
      subscription: {
        planId: latest.planId,
        status: latest.status,
        billingCycle: latest.billingCycle,
        trialEndsAt: latest.trialEndsAt,
        currentPeriodEnd: latest.currentPeriodEnd,
        cancelAtPeriodEnd: latest.cancelAtPeriodEnd,
      },
      logoFileId: businessSettings.logoFileId,
    })
    .from(businessTenants)
    .leftJoinLateral(latest, sql`true`)
    .leftJoin(businessSettings, eq(businessSettings.businessId, businessTenants.id))
    .where(eq(businessTenants.id, scope.businessId));
  if (!row) throw new NotFoundError("Business not found");
  const { tenant, subscription, logoFileId } = row;
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
    /** The business's logo (a logos file; tenants.setLogo), or null. */
    logoFileId: logoFileId ?? null,
    subscription: subscription?.planId ? subscription : null,
  };
}
