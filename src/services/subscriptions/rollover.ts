/**
 * Period rollover: what happens to a subscription when its period (or trial)
 * ends. Applied by applyDueSubscriptionChanges (a job or `bun run tenant
 * rollover`) and, lazily, before any change a business makes to its own
 * subscription, so a late job never lets a change act on a stale period.
 *
 *   trial ends               → active on the free plan (no paid plan was chosen)
 *   cancel_at_period_end     → canceled (the business is on free: app.effective_plan_id)
 *   pending plan / cycle     → applied, next period starts, invoiced
 *   otherwise                → renewed for another period, invoiced (free: no invoice)
 */
import type { ScopedDb } from "../../tenancy/transaction.ts";
import { issueInvoice } from "./invoices.ts";
import { addCycle, currentSubscription, loadPlan, priceFor, updateSubscription, type Subscription } from "./plans.ts";

export type RolloverEvent = "trial_ended" | "canceled" | "changed" | "renewed";

/** A job that has not run for years still stops: periods beyond this are caught up by the next run. */
const MAX_PERIODS = 60;

async function rollOnce(db: ScopedDb, sub: Subscription): Promise<{ sub: Subscription; event: RolloverEvent }> {
  const end = sub.currentPeriodEnd;
  if (sub.cancelAtPeriodEnd) {
    const patch = { status: "canceled" as const, cancelAtPeriodEnd: false, canceledAt: sub.canceledAt ?? end, pendingPlanId: null, pendingBillingCycle: null };
    return { sub: await updateSubscription(db, sub, patch), event: "canceled" };
  }
  if (sub.status === "trialing") {
    const patch = { status: "active" as const, planId: "free", billingCycle: "monthly" as const, currentPeriodStart: end, currentPeriodEnd: addCycle(end, "monthly") };
    return { sub: await updateSubscription(db, sub, patch), event: "trial_ended" };
  }
  const changed = sub.pendingPlanId !== null || sub.pendingBillingCycle !== null;
  const planId = sub.pendingPlanId ?? sub.planId;
  const cycle = sub.pendingBillingCycle ?? sub.billingCycle;
  const next = await updateSubscription(db, sub, {
    planId,
    billingCycle: cycle,
    currentPeriodStart: end,
    currentPeriodEnd: addCycle(end, cycle),
    pendingPlanId: null,
    pendingBillingCycle: null,
  });
  const plan = await loadPlan(db, planId);
  const price = priceFor(plan, cycle);
  if (price > 0) {
    const description = `${plan.name} plan, ${cycle}, ${end.toISOString().slice(0, 10)} to ${next.currentPeriodEnd.toISOString().slice(0, 10)}`;
    await issueInvoice(db, sub.businessId, { kind: "subscription", currency: plan.currency, lines: [{ description, amountCents: price }], issuedAt: end });
  }
  return { sub: next, event: changed ? "changed" : "renewed" };
}

/** Applies every period end of the business's subscription that has passed at `now`; returns what happened, oldest first. */
export async function rollOverSubscription(db: ScopedDb, businessId: number, now: Date): Promise<RolloverEvent[]> {
  let sub = await currentSubscription(db, businessId, { lock: true });
  const events: RolloverEvent[] = [];
  while (events.length < MAX_PERIODS && sub.status !== "canceled" && sub.currentPeriodEnd <= now) {
    const step = await rollOnce(db, sub);
    sub = step.sub;
    events.push(step.event);
  }
  return events;
}
