/**
 * What the request limiter needs before any tenant transaction opens: which
 * business a tenantKey or slug names, and its effective plan (whose
 * requests_per_minute is the limit).
 *
 *   tenantKey/slug → business id   never changes: cached a day in the platform
 *                                  namespace, and kept a minute in each process
 *                                  (a purge makes every process forget it)
 *   the effective plan             cached a minute per tenant (TTL.SHORT): a plan
 *                                  change invalidates it at once, an operator's
 *                                  change of a plan's limits and a trial's end
 *                                  take effect within the minute (for a business
 *                                  quiet longer than that, from its second request)
 *
 * A plan entry past its minute is still answered for an hour while one
 * background lookup replaces it (PLAN_FRESHNESS). Otherwise, after a quiet
 * minute, the first request of every business waits for a platform lookup, all
 * of them at once when traffic resumes. Only the request limit reads this
 * entry; a suspension or a removed member is checked by the database on every
 * request, never from here.
 *
 * On a miss the lookup runs on the platform role (which resolves tenant refs
 * and reads the plan catalogue), never on the tenant's own pool.
 */
import { eq, sql } from "drizzle-orm";
import { subscriptionPlans } from "../db/schema/index.ts";
import { TENANT_REF_RESOURCE, TTL, type CacheService } from "./cache.ts";
import type { PlatformScope, Scopes } from "./scopes.ts";
import { businessIdForRef } from "./tenant-ref-lookup.ts";

export type EffectivePlan = typeof subscriptionPlans.$inferSelect;

/** The tenant's effective plan entry; services that change a subscription invalidate it. */
export const EFFECTIVE_PLAN = { resource: "plan", id: "effective" } as const;

export interface RequestPolicy {
  businessId: number;
  plan: EffectivePlan;
}

const PLAN_FRESHNESS = { staleForSeconds: TTL.LONG };
const LOCAL_REF_MS = 60_000;
const MAX_LOCAL_REFS = 100_000;

async function planOf(scope: PlatformScope, businessId: number): Promise<EffectivePlan | undefined> {
  const [plan] = await scope.db
    .select()
    .from(subscriptionPlans)
    .where(eq(subscriptionPlans.id, sql`app.effective_plan_id(${businessId}::bigint, now())`));
  return plan;
}

export function createRatePolicies(cache: CacheService, scopes: Scopes) {
  const localRefs = new Map<string, { businessId: number; at: number }>();
  cache.onForgetRefs((refs) => refs.forEach((ref) => localRefs.delete(ref)));

  /** A miss of the ref: one platform transaction answers both the id and the plan, and primes the plan entry. */
  async function lookUp(ref: string): Promise<number | undefined> {
    const found = await scopes.asPlatform(
      async (scope) => {
        const businessId = await businessIdForRef(scope.db, ref);
        return businessId === null ? undefined : { businessId, plan: await planOf(scope, businessId) };
      },
      { readOnly: true },
    );
    if (!found) return undefined;
    await cache.forTenant(found.businessId).set(EFFECTIVE_PLAN.resource, EFFECTIVE_PLAN.id, found.plan, TTL.SHORT, PLAN_FRESHNESS);
    return found.businessId;
  }

  async function businessIdFor(ref: string): Promise<number | undefined> {
    const local = localRefs.get(ref);
    if (local && Date.now() - local.at < LOCAL_REF_MS) return local.businessId;
    const businessId = await cache.platform.getOrCompute(TENANT_REF_RESOURCE, ref, () => lookUp(ref), TTL.DAY);
    if (businessId !== undefined) {
      if (localRefs.size >= MAX_LOCAL_REFS) localRefs.clear();
      localRefs.set(ref, { businessId, at: Date.now() });
    }
    return businessId;
  }

  return {
    /** A tenantKey or slug (as parseTenantRef gives it) → the business's id; undefined: no such business. */
    businessIdFor,
    /** undefined: no such business (the tenant transaction will say NOT_FOUND). */
    async policyFor(tenantRef: string): Promise<RequestPolicy | undefined> {
      const businessId = await businessIdFor(tenantRef.toLowerCase());
      if (businessId === undefined) return undefined;
      const lookUpPlan = () => scopes.asPlatform((s) => planOf(s, businessId), { readOnly: true });
      const plan = await cache.forTenant(businessId).getOrCompute(EFFECTIVE_PLAN.resource, EFFECTIVE_PLAN.id, lookUpPlan, TTL.SHORT, PLAN_FRESHNESS);
      return plan ? { businessId, plan } : undefined;
    },
  };
}

export type RatePolicies = ReturnType<typeof createRatePolicies>;
