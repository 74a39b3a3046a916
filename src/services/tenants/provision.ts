/**
 * Provisioning: every row a new business needs, written in one transaction under
 * the new tenant's own RLS context, so a failure at any step leaves no trace.
 */
import { eq } from "drizzle-orm";
import {
  auditLog,
  businessAccess,
  businessDirectory,
  businessSettings,
  businessSubscriptions,
  businessTenants,
  roles,
  subscriptionPlans,
  tenantLifecycleEvents,
} from "../../db/schema/index.ts";
import { ConflictError, ValidationError, postgresErrorOf } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { DEFAULT_ROLES, OWNER_PERMISSIONS } from "./permissions.ts";
import type { ProvisionInput } from "./schemas.ts";
import { slugCandidates } from "./slug.ts";

const REGIONAL_DEFAULTS: Record<ProvisionInput["dataResidency"], { timezone: string; currency: string; locale: string }> = {
  in: { timezone: "Asia/Kolkata", currency: "INR", locale: "en-IN" },
  eu: { timezone: "Europe/Berlin", currency: "EUR", locale: "en-GB" },
  us: { timezone: "America/New_York", currency: "USD", locale: "en-US" },
  uk: { timezone: "Europe/London", currency: "GBP", locale: "en-GB" },
  ae: { timezone: "Asia/Dubai", currency: "AED", locale: "en-AE" },
  sg: { timezone: "Asia/Singapore", currency: "SGD", locale: "en-SG" },
};

export interface ProvisionedTenant {
  businessId: number;
  tenantKey: string;
  slug: string;
  status: "pending" | "active" | "suspended" | "closed";
}

const isUniqueViolation = (error: unknown, constraint: string) => {
  const pg = postgresErrorOf(error);
  return pg?.code === "23505" && pg.constraint_name === constraint;
};

async function insertTenantRow(scope: TenantScope, input: ProvisionInput) {
  for (const slug of slugCandidates(input.name)) {
    try {
      // A savepoint per attempt: a slug collision must not abort the whole provisioning.
      return await scope.db.transaction(async () => {
        const [row] = await scope.db
          .insert(businessTenants)
          .values({
            id: scope.businessId,
            slug,
            name: input.name,
            industryType: input.industryType,
            tenantTier: input.tenantTier,
            dataResidency: input.dataResidency,
          })
          .returning();
        return row!;
      });
    } catch (error) {
      if (!isUniqueViolation(error, "business_tenants_slug_key")) throw error;
    }
  }
  throw new ConflictError("Could not find a free subdomain for this name; try a more distinctive name");
}

export async function provisionTenant(scope: TenantScope, ownerUserId: number, input: ProvisionInput, now = new Date()): Promise<ProvisionedTenant> {
  const [plan] = await scope.db.select().from(subscriptionPlans).where(eq(subscriptionPlans.id, input.subscriptionPlanId));
  if (!plan) throw new ValidationError(`Unknown subscription plan ${input.subscriptionPlanId}`);

  const tenant = await insertTenantRow(scope, input);
  const businessId = tenant.id;
  const trialEnds = new Date(now.getTime() + plan.trialDays * 86_400_000);

  await scope.db.insert(businessAccess).values({ businessId, userId: ownerUserId, role: "owner", permissions: [...OWNER_PERMISSIONS] });
  await scope.db
    .insert(businessSubscriptions)
    .values({ businessId, planId: plan.id, status: "trialing", trialEndsAt: trialEnds, currentPeriodStart: now, currentPeriodEnd: trialEnds });
  await scope.db.insert(businessSettings).values({ businessId, ...REGIONAL_DEFAULTS[input.dataResidency] });
  await scope.db.insert(businessDirectory).values({ businessId, displayName: input.name, industryType: input.industryType, published: false });
  await scope.db.insert(roles).values(DEFAULT_ROLES.map((r) => ({ businessId, name: r.name, permissions: [...r.permissions] })));
  await scope.db.insert(tenantLifecycleEvents).values({ businessId, fromStatus: null, toStatus: tenant.status, reason: "provisioned", actorUserId: ownerUserId });
  await scope.db.insert(auditLog).values({
    businessId,
    actorUserId: ownerUserId,
    action: "tenant.provision",
    entityType: "business_tenant",
    entityId: String(businessId),
    details: { name: input.name, industryType: input.industryType, plan: plan.id },
  });
  return { businessId, tenantKey: tenant.tenantKey, slug: tenant.slug, status: tenant.status };
}
