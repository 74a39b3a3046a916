/**
 * Provisioning: every row a new business needs, written in one transaction under
 * the new tenant's own RLS context (scopes.asNewTenant), so a failure at any step
 * leaves no trace. The steps, in order:
 *
 *   1. business_tenants: uuid tenantKey, a free slug (subdomain {slug}.{BASE_DOMAIN}), creator and idempotency key
 *   2. business_access: the owner, with every permission
 *   3. business_subscriptions: trialing for the plan's trial days, on the plan asked for or the
 *      platform's trial plan, whichever is cheaper (nobody trials the dearest plan for free)
 *   4. business_settings: timezone, currency, locale from the data residency
 *   5. business_directory: the listing, unpublished
 *   6. categories: the industry's defaults
 *   7. email_templates: the transactional defaults
 *   8. roles: manager, staff, customer
 *   9. tenant_lifecycle_events: null → pending
 *  10. audit_log: tenant.provision
 *
 * With an idempotency key, a retry (also one racing the first request) returns
 * the business the first request created instead of creating another. A user
 * may own a limited number of open businesses (MAX_BUSINESSES_PER_USER, or what a
 * super admin set for that user).
 */
import { sql } from "drizzle-orm";
import {
  businessAccess,
  businessDirectory,
  businessSettings,
  businessSubscriptions,
  categories,
  emailTemplates,
  roles,
  subscriptionPlans,
  tenantLifecycleEvents,
} from "../../db/schema/index.ts";
import { ConflictError, LimitExceededError, ValidationError } from "../../lib/errors.ts";
import { rows } from "../../tenancy/rows.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { DEFAULT_CATEGORIES, DEFAULT_EMAIL_TEMPLATES, REGIONAL_DEFAULTS } from "./defaults.ts";
import { DEFAULT_ROLES, OWNER_PERMISSIONS } from "./permissions.ts";
import type { ProvisionedTenant, ProvisionInput } from "./schemas.ts";
import { findProvisioned, insertTenantRow, ProvisionKeyTaken, type ProvisionedRow } from "./tenant-row.ts";

/** What the platform decides for every new business (from the environment: TRIAL_PLAN, MAX_BUSINESSES_PER_USER). */
export interface ProvisioningPolicy {
  trialPlanId: string;
  maxBusinessesPerUser: number;
}

export const DEFAULT_PROVISIONING_POLICY: ProvisioningPolicy = { trialPlanId: "standard", maxBusinessesPerUser: 10 };

export interface ProvisionOptions {
  /** BASE_DOMAIN, for the returned subdomain. */
  baseDomain?: string;
  policy?: ProvisioningPolicy;
  now?: Date;
}

const DAY_MS = 86_400_000;

function result(row: ProvisionedRow, baseDomain: string): ProvisionedTenant {
  return { businessId: row.id, tenantKey: row.tenantKey, slug: row.slug, subdomain: `${row.slug}.${baseDomain}`, status: row.status };
}

/** A key names one request: reusing it for a different business is a client bug worth refusing. */
function sameRequest(existing: ProvisionedRow, input: ProvisionInput, baseDomain: string): ProvisionedTenant {
  if (existing.name !== input.name || existing.industryType !== input.industryType) {
    throw new ConflictError(`This idempotency key was already used to provision "${existing.name}" (${existing.industryType}); use a new key`);
  }
  return result(existing, baseDomain);
}

export async function provisionTenant(
  scope: TenantScope,
  ownerUserId: number,
  input: ProvisionInput,
  options: ProvisionOptions = {},
): Promise<ProvisionedTenant> {
  const { baseDomain = "localhost", now = new Date(), policy = DEFAULT_PROVISIONING_POLICY } = options;
  const key = input.idempotencyKey;
  if (key) {
    const existing = await findProvisioned(scope, key);
    if (existing) return sameRequest(existing, input, baseDomain);
  }
  await assertMayProvision(scope, policy);
  const plan = await trialPlan(scope, input.subscriptionPlanId, policy.trialPlanId);

  let tenant: ProvisionedRow;
  try {
    tenant = await insertTenantRow(scope, ownerUserId, input);
  } catch (error) {
    if (!(error instanceof ProvisionKeyTaken) || !key) throw error;
    // The racing request committed; nothing of this one was written (its savepoint rolled back).
    const existing = await findProvisioned(scope, key);
    if (!existing) throw error;
    return sameRequest(existing, input, baseDomain);
  }
  await writeDefaults(scope, tenant, ownerUserId, input, plan, now);
  return result(tenant, baseDomain);
}

/** Refuses past the user's allowance of open businesses; serialises the user's provisioning until commit. */
async function assertMayProvision(scope: TenantScope, policy: ProvisioningPolicy): Promise<void> {
  const [row] = await rows<{ created: string; user_limit: number | null }>(scope.db, sql`select created, user_limit from app.provisioning_allowance()`);
  const limit = row?.user_limit ?? policy.maxBusinessesPerUser;
  if (Number(row?.created ?? 0) >= limit) {
    throw new LimitExceededError(`You already own ${limit} open businesses, the most one account may; close one, or ask the platform to raise your limit`);
  }
}

/** The plan asked for, or the platform's trial plan when that is cheaper. */
async function trialPlan(scope: TenantScope, requested: string, platformTrial: string) {
  const plans = await scope.db.select().from(subscriptionPlans).where(sql`${subscriptionPlans.id} in (${requested}, ${platformTrial})`);
  const asked = plans.find((p) => p.id === requested);
  if (!asked) throw new ValidationError(`Unknown subscription plan ${requested}`);
  const trial = plans.find((p) => p.id === platformTrial) ?? asked;
  return trial.monthlyPriceCents < asked.monthlyPriceCents ? trial : asked;
}

async function writeDefaults(
  scope: TenantScope,
  tenant: ProvisionedRow,
  ownerUserId: number,
  input: ProvisionInput,
  plan: typeof subscriptionPlans.$inferSelect,
  now: Date,
): Promise<void> {
  const businessId = tenant.id;
  const trialEnds = new Date(now.getTime() + plan.trialDays * DAY_MS);
  await scope.db.insert(businessAccess).values({ businessId, userId: ownerUserId, role: "owner", permissions: [...OWNER_PERMISSIONS] });
  await scope.db
    .insert(businessSubscriptions)
    .values({ businessId, planId: plan.id, status: "trialing", trialEndsAt: trialEnds, currentPeriodStart: now, currentPeriodEnd: trialEnds });
  await scope.db.insert(businessSettings).values({ businessId, ...REGIONAL_DEFAULTS[input.dataResidency] });
  await scope.db.insert(businessDirectory).values({ businessId, displayName: input.name, industryType: input.industryType, published: false });
  await scope.db.insert(categories).values(DEFAULT_CATEGORIES[input.industryType].map((name) => ({ businessId, name })));
  await scope.db.insert(emailTemplates).values(DEFAULT_EMAIL_TEMPLATES.map((t) => ({ businessId, key: t.key, subject: t.subject, body: t.body })));
  await scope.db.insert(roles).values(DEFAULT_ROLES.map((r) => ({ businessId, name: r.name, permissions: [...r.permissions] })));
  await scope.db.insert(tenantLifecycleEvents).values({ businessId, fromStatus: null, toStatus: tenant.status, reason: "provisioned", actorUserId: ownerUserId });
  // The scope is the new business's, opened for its creator (scopes.asNewTenant): the audit row's actor is the owner.
  await recordAudit(scope, {
    action: "tenant.provision",
    entityType: "business_tenant",
    entityId: businessId,
    details: { name: input.name, industryType: input.industryType, plan: plan.id, idempotencyKey: input.idempotencyKey ?? null },
  });
}
