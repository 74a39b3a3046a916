import { ConflictError, ValidationError } from "../../lib/errors.ts";
import { EFFECTIVE_PLAN } from "../../tenancy/rate-policy.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { currentSubscription, loadPlan, priceFor, updateSubscription } from "./plans.ts";
import { rollOverSubscription } from "./rollover.ts";
import { subscriptionView } from "./view.ts";

/**
 * subscriptions.cancel (owner only): the subscription ends at the end of the
 * current period (or trial); the business keeps its plan until then and is on
 * the free plan afterwards. changePlan to the current plan undoes it.
 */
export async function cancelSubscription(scope: TenantScope, now = new Date()) {
  await rollOverSubscription(scope.db, scope.businessId, now);
  const sub = await currentSubscription(scope.db, scope.businessId, { lock: true });
  if (sub.status === "canceled") throw new ConflictError("The subscription is already canceled");
  if (sub.cancelAtPeriodEnd) throw new ConflictError(`The subscription already ends on ${sub.currentPeriodEnd.toISOString()}`);
  const plan = await loadPlan(scope.db, sub.planId);
  if (sub.status !== "trialing" && priceFor(plan, sub.billingCycle) === 0) throw new ValidationError("The free plan has nothing to cancel");

  const next = await updateSubscription(scope.db, sub, { cancelAtPeriodEnd: true, canceledAt: now, pendingPlanId: null, pendingBillingCycle: null });
  // The rollover above may have ended a trial or applied a pending plan.
  await scope.cache.invalidate(EFFECTIVE_PLAN.resource, EFFECTIVE_PLAN.id);
  await recordAudit(scope, { action: "subscription.cancel", entityType: "subscription", entityId: sub.id, details: { plan: plan.id, endsAt: sub.currentPeriodEnd } });
  return { effectiveAt: sub.currentPeriodEnd, subscription: subscriptionView(next) };
}
