import { pgEnum } from "drizzle-orm/pg-core";

export const tenantStatus = pgEnum("tenant_status", ["pending", "active", "suspended", "closed"]);
export const memberRole = pgEnum("member_role", ["owner", "manager", "staff"]);
export const subscriptionStatus = pgEnum("subscription_status", ["trialing", "active", "past_due", "canceled"]);
export const billingCycle = pgEnum("billing_cycle", ["monthly", "yearly"]);
