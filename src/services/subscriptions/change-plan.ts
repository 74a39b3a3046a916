/**
 * subscriptions.changePlan (owner only). What happens depends on where the
 * subscription stands:
 *
 *   trialing or canceled  the paid subscription starts now on the plan: a new period, invoiced in full
 *                         (the rest of a trial is given up); refused if the business is over the plan's limits
 *   dearer plan           upgrade now: prorated (credit for the unused period at the old price, charge for it
 *                         at the new one) on a 'proration' invoice; the period and its end stay
 *   cheaper plan          downgrade at the period end; refused now if usage is over the new plan's limits
 *   same plan             a different cycle is scheduled for the period end; the same cycle undoes a pending
 *                         downgrade or cancellation (or is refused when nothing would change)
 *
 * A cycle change that comes with an upgrade is also scheduled for the period end:
 * proration is always over the current period at the current cycle's prices.
 */
import { ValidationError } from "../../lib/errors.ts";
import { EFFECTIVE_PLAN } from "../../tenancy/rate-policy.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { issueInvoice, type Invoice, type InvoiceLine } from "./invoices.ts";
import { assertFitsPlan } from "./limits.ts";
import { addCycle, currentSubscription, isUpgrade, loadPlan, priceFor, updateSubscription, type BillingCycle, type Plan, type Subscription } from "./plans.ts";
import { prorate } from "./proration.ts";
import { rollOverSubscription } from "./rollover.ts";
import type { ChangePlanInput, PLAN_CHANGES } from "./schemas.ts";
import { subscriptionView } from "./view.ts";

export type PlanChange = (typeof PLAN_CHANGES)[number];

interface Outcome {
  change: PlanChange;
  sub: Subscription;
  effectiveAt: Date;
  invoice?: Invoice;
}

async function start(scope: TenantScope, sub: Subscription, plan: Plan, cycle: BillingCycle, now: Date): Promise<Outcome> {
  await assertFitsPlan(scope, plan);
  const next = await updateSubscription(scope.db, sub, {
    planId: plan.id,
    status: "active",
    billingCycle: cycle,
    currentPeriodStart: now,
    currentPeriodEnd: addCycle(now, cycle),
    cancelAtPeriodEnd: false,
    canceledAt: null,
    pendingPlanId: null,
    pendingBillingCycle: null,
  });
  const price = priceFor(plan, cycle);
  const invoice =
    price > 0
      ? await issueInvoice(scope.db, scope.businessId, {
          kind: "subscription",
          currency: plan.currency,
          lines: [{ description: `${plan.name} plan, ${cycle}, from ${now.toISOString().slice(0, 10)}`, amountCents: price }],
          issuedAt: now,
        })
      : undefined;
  return { change: "started", sub: next, effectiveAt: now, invoice };
}

async function upgrade(scope: TenantScope, sub: Subscription, from: Plan, to: Plan, cycle: BillingCycle, now: Date): Promise<Outcome> {
  const p = prorate({
    oldPriceCents: priceFor(from, sub.billingCycle),
    newPriceCents: priceFor(to, sub.billingCycle),
    periodStart: sub.currentPeriodStart,
    periodEnd: sub.currentPeriodEnd,
    now,
  });
  const next = await updateSubscription(scope.db, sub, {
    planId: to.id,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    pendingPlanId: null,
    pendingBillingCycle: cycle === sub.billingCycle ? null : cycle,
  });
  const until = sub.currentPeriodEnd.toISOString().slice(0, 10);
  const invoice = await issueInvoice(scope.db, scope.businessId, {
    kind: "proration",
    currency: to.currency,
    lines: [
      { description: `Unused time on ${from.name} (${sub.billingCycle}) until ${until}`, amountCents: -p.creditCents },
      { description: `Remaining time on ${to.name} (${sub.billingCycle}) until ${until}`, amountCents: p.chargeCents },
    ],
    issuedAt: now,
  });
  return { change: "upgraded", sub: next, effectiveAt: now, invoice };
}

async function samePlan(scope: TenantScope, sub: Subscription, plan: Plan, cycle: BillingCycle): Promise<Outcome> {
  if (cycle !== sub.billingCycle) {
    const next = await updateSubscription(scope.db, sub, { pendingPlanId: null, pendingBillingCycle: cycle, cancelAtPeriodEnd: false, canceledAt: null });
    return { change: "cycle_change_scheduled", sub: next, effectiveAt: sub.currentPeriodEnd };
  }
  if (sub.pendingPlanId === null && sub.pendingBillingCycle === null && !sub.cancelAtPeriodEnd) {
    throw new ValidationError(`This business is already on the ${plan.name} plan, billed ${cycle}`);
  }
  const next = await updateSubscription(scope.db, sub, { pendingPlanId: null, pendingBillingCycle: null, cancelAtPeriodEnd: false, canceledAt: null });
  return { change: "pending_change_undone", sub: next, effectiveAt: sub.currentPeriodEnd };
}

export async function changePlan(scope: TenantScope, input: ChangePlanInput, now = new Date()) {
  await rollOverSubscription(scope.db, scope.businessId, now);
  const sub = await currentSubscription(scope.db, scope.businessId, { lock: true });
  const [from, to] = await Promise.all([loadPlan(scope.db, sub.planId), loadPlan(scope.db, input.planId)]);
  const cycle = input.billingCycle ?? sub.billingCycle;

  let outcome: Outcome;
  if (sub.status === "trialing" || sub.status === "canceled") outcome = await start(scope, sub, to, cycle, now);
  else if (to.id === from.id) outcome = await samePlan(scope, sub, to, cycle);
  else if (isUpgrade(from, to)) outcome = await upgrade(scope, sub, from, to, cycle, now);
  else {
    await assertFitsPlan(scope, to);
    const next = await updateSubscription(scope.db, sub, {
      pendingPlanId: to.id,
      pendingBillingCycle: cycle === sub.billingCycle ? null : cycle,
      cancelAtPeriodEnd: false,
      canceledAt: null,
    });
    outcome = { change: "downgrade_scheduled", sub: next, effectiveAt: sub.currentPeriodEnd };
  }

  // The request rate limit follows the plan: the next request, in any API process, sees this one.
  await scope.cache.invalidate(EFFECTIVE_PLAN.resource, EFFECTIVE_PLAN.id);
  await recordAudit(scope, {
    action: "subscription.change",
    entityType: "subscription",
    entityId: sub.id,
    details: { change: outcome.change, from: from.id, to: to.id, cycle, invoice: outcome.invoice?.number ?? null },
  });
  const invoice = outcome.invoice;
  return {
    change: outcome.change,
    effectiveAt: outcome.effectiveAt,
    subscription: subscriptionView(outcome.sub),
    invoice: invoice
      ? { number: invoice.number, kind: invoice.kind, amountCents: invoice.amountCents, currency: invoice.currency, lines: invoice.lines as InvoiceLine[] }
      : null,
  };
}
