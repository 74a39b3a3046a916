import { boolean, foreignKey, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { billingCycle, subscriptionStatus } from "./enums.ts";
import { businessTenants } from "./business-tenants.ts";
import { subscriptionPlans } from "./subscription-plans.ts";

/** A business's subscription to a plan; the newest row is the current one. */
export const businessSubscriptions = pgTable(
  "business_subscriptions",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
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
    primaryKey({ columns: [t.businessId, t.id] }),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
