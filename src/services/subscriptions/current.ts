import type { TenantScope } from "../../tenancy/scopes.ts";
import { countedUsage, effectivePlan, monthlyUsage } from "./limits.ts";
import { currentSubscription } from "./plans.ts";
import { storageUsed } from "./storage.ts";
import { limitsView, subscriptionView } from "./view.ts";

/**
 * The business's subscription, the plan whose limits apply now (null limit =
 * unlimited) and what it uses of them. `effectivePlanId` differs from `planId`
 * once a trial has ended or a cancellation has taken effect.
 */
export async function currentSubscriptionOf(scope: TenantScope, now = new Date()) {
  const sub = await currentSubscription(scope.db, scope.businessId);
  const plan = await effectivePlan(scope.db, scope.businessId, now);
  return {
    ...subscriptionView(sub),
    effectivePlanId: plan.id,
    limits: limitsView(plan),
    usage: {
      products: await countedUsage(scope, "products"),
      staffSeats: await countedUsage(scope, "staffSeats"),
      bookingsThisMonth: await monthlyUsage(scope, "bookings", now),
      storageBytes: await storageUsed(scope),
    },
  };
}
