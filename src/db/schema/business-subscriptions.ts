import { boolean, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { billingCycle, subscriptionStatus } from "./enums.ts";
import { subscriptionPlans } from "./subscription-plans.ts";

/** A business's subscription to a plan; the newest row is the current one. */
export const businessSubscriptions = pgTable(
  "business_subscriptions",
  {
    ...tenantColumns(),
    planId: text("plan_id")
      .notNull()
      .references(() => subscriptionPlans.id),
    status: subscriptionStatus("status").notNull(),
    billingCycle: billingCycle("billing_cycle").notNull().default("monthly"),
    trialEndsAt: timestamp("trial_ends_at", { withTimezone: true }),
    currentPeriodStart: timestamp("current_period_start", { withTimezone: true }).notNull(),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }).notNull(),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    /** A downgrade or cycle change waiting for the period end. */
    pendingPlanId: text("pending_plan_id").references(() => subscriptionPlans.id),
    pendingBillingCycle: billingCycle("pending_billing_cycle"),
    canceledAt: timestamp("canceled_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
  ],
);
