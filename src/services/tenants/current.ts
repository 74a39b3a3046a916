import { desc, eq, sql } from "drizzle-orm";
import { businessSettings, businessSubscriptions, businessTenants } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { CurrentTenant } from "./schemas.ts";

/** The scope's own tenant row with its current subscription, in one query (one round trip). */
export async function currentTenant(scope: TenantScope): Promise<CurrentTenant> {
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
      businessId: businessTenants.id,
      tenantKey: businessTenants.tenantKey,
      slug: businessTenants.slug,
      name: businessTenants.name,
      industryType: businessTenants.industryType,
      status: businessTenants.status,
      tenantTier: businessTenants.tenantTier,
      dataResidency: businessTenants.dataResidency,
      createdAt: businessTenants.createdAt,
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
  // logoFileId: the business's logo (a logos file; tenants.setLogo), or null.
  return { ...row, logoFileId: row.logoFileId ?? null, subscription: row.subscription?.planId ? row.subscription : null };
}
