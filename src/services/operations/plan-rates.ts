import { asc, eq } from "drizzle-orm";
import { subscriptionPlans } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { userShare } from "../../tenancy/admission.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import type { LifecycleActor } from "../lifecycle/apply-transition.ts";
import { recordPlatformAudit } from "../audit/record.ts";
import type { SetPlanRateInput } from "./schemas.ts";

const view = (plan: { id: string; name: string; requestsPerMinute: number | null }) => ({
  planId: plan.id,
  name: plan.name,
  requestsPerMinute: plan.requestsPerMinute,
  perMemberPerMinute: plan.requestsPerMinute === null ? null : userShare(plan.requestsPerMinute),
});

/** Each plan's request rate: per business, and each member's share of it. */
export async function listPlanRates(scope: AdminScope) {
  const plans = await scope.db
    .select({ id: subscriptionPlans.id, name: subscriptionPlans.name, requestsPerMinute: subscriptionPlans.requestsPerMinute })
    .from(subscriptionPlans)
    .orderBy(asc(subscriptionPlans.monthlyPriceCents));
  return plans.map(view);
}

/**
 * Changes a plan's requests per minute. Every business on it gets the new limit
 * within a minute: the limiter reads the plan through a cache entry that lives
 * at most TTL.SHORT (src/tenancy/rate-policy.ts), and its buckets take the new
 * size on their next check.
 */
export async function setPlanRate(scope: AdminScope, input: SetPlanRateInput, actor: LifecycleActor) {
  const [before] = await scope.db.select().from(subscriptionPlans).where(eq(subscriptionPlans.id, input.planId)).for("update");
  if (!before) throw new NotFoundError(`No plan ${input.planId}`);
  const [plan] = await scope.db
    .update(subscriptionPlans)
    .set({ requestsPerMinute: input.requestsPerMinute })
    .where(eq(subscriptionPlans.id, input.planId))
    .returning();
  await recordPlatformAudit(scope, {
    actorUserId: actor.userId,
    action: "plan.rate_limit",
    targetBusinessId: null,
    details: { planId: input.planId, from: before.requestsPerMinute, to: input.requestsPerMinute, via: actor.via },
  });
  return { ...view(plan!), effectiveWithinSeconds: 60 };
}
