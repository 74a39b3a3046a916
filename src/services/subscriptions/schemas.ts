import { z } from "zod";
import { billingCycle, PLAN_IDS, subscriptionStatus } from "../../db/schema/enums.ts";
import { OutText } from "../../lib/schemas.ts";

export const BillingCycleInput = z.enum(billingCycle.enumValues);

/** subscriptions.changePlan: a dearer plan applies now (prorated), a cheaper one or another cycle at the period end. */
export const ChangePlanInput = z.object({ planId: z.enum(PLAN_IDS), billingCycle: BillingCycleInput.optional() });
export type ChangePlanInput = z.infer<typeof ChangePlanInput>;

/** The subscription as clients see it. */
export const SubscriptionView = z.object({
  planId: OutText,
  status: z.enum(subscriptionStatus.enumValues),
  billingCycle: z.enum(billingCycle.enumValues),
  trialEndsAt: z.date().nullable(),
  currentPeriodStart: z.date(),
  currentPeriodEnd: z.date(),
  cancelAtPeriodEnd: z.boolean(),
  canceledAt: z.date().nullable(),
  pendingPlanId: OutText.nullable(),
  pendingBillingCycle: z.enum(billingCycle.enumValues).nullable(),
});
export type SubscriptionView = z.infer<typeof SubscriptionView>;

/** A plan's limits; null is unlimited. */
export const LimitsView = z.object({
  products: z.number().nullable(),
  staffSeats: z.number().nullable(),
  bookingsPerMonth: z.number().nullable(),
  storageBytes: z.number().nullable(),
  requestsPerMinute: z.number().nullable(),
});

/** subscriptions.current: the subscription, the plan whose limits apply now, and what the business uses of them. */
export const CurrentSubscription = SubscriptionView.extend({
  effectivePlanId: OutText,
  limits: LimitsView,
  usage: z.object({ products: z.number(), staffSeats: z.number(), bookingsThisMonth: z.number(), storageBytes: z.number() }),
});

const InvoiceView = z.object({
  number: OutText,
  kind: OutText,
  amountCents: z.number(),
  currency: OutText,
  lines: z.array(z.object({ description: OutText, amountCents: z.number() })),
});

export const PLAN_CHANGES = ["started", "upgraded", "downgrade_scheduled", "cycle_change_scheduled", "pending_change_undone"] as const;

export const PlanChangeOutput = z.object({
  change: z.enum(PLAN_CHANGES),
  effectiveAt: z.date(),
  subscription: SubscriptionView,
  invoice: InvoiceView.nullable(),
});

export const CancelOutput = z.object({ effectiveAt: z.date(), subscription: SubscriptionView });
