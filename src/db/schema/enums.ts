import { pgEnum } from "drizzle-orm/pg-core";

export const tenantStatus = pgEnum("tenant_status", ["pending", "active", "suspended", "closed"]);
export const memberRole = pgEnum("member_role", ["owner", "manager", "staff"]);
export const subscriptionStatus = pgEnum("subscription_status", ["trialing", "active", "past_due", "canceled"]);
export const billingCycle = pgEnum("billing_cycle", ["monthly", "yearly"]);
export const productStatus = pgEnum("product_status", ["active", "draft", "archived"]);
export const bookingStatus = pgEnum("booking_status", ["pending", "confirmed", "completed", "cancelled", "no_show"]);
export const orderStatus = pgEnum("order_status", ["pending", "paid", "fulfilled", "cancelled"]);
export const invoiceStatus = pgEnum("invoice_status", ["draft", "issued", "paid", "void"]);
