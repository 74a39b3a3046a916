import type { Plan, Subscription } from "./plans.ts";

/** The subscription as clients see it. */
export function subscriptionView(sub: Subscription) {
  return {
    planId: sub.planId,
    status: sub.status,
    billingCycle: sub.billingCycle,
    trialEndsAt: sub.trialEndsAt,
    currentPeriodStart: sub.currentPeriodStart,
    currentPeriodEnd: sub.currentPeriodEnd,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    canceledAt: sub.canceledAt,
    pendingPlanId: sub.pendingPlanId,
    pendingBillingCycle: sub.pendingBillingCycle,
  };
}

export function limitsView(plan: Plan) {
  return {
    products: plan.maxProducts,
    staffSeats: plan.maxStaffSeats,
    bookingsPerMonth: plan.maxBookingsPerMonth,
    storageBytes: plan.storageBytes,
    requestsPerMinute: plan.requestsPerMinute,
  };
}
