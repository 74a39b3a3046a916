/**
 * The enumerations, declared once: PostgreSQL's enum types and the TypeScript
 * types every other file uses for the same values.
 */
import { pgEnum } from "drizzle-orm/pg-core";

export const tenantStatus = pgEnum("tenant_status", ["pending", "active", "suspended", "closed"]);
export const memberRole = pgEnum("member_role", ["owner", "manager", "staff"]);
export const subscriptionStatus = pgEnum("subscription_status", ["trialing", "active", "past_due", "canceled"]);
export const billingCycle = pgEnum("billing_cycle", ["monthly", "yearly"]);
export const productStatus = pgEnum("product_status", ["active", "draft", "archived"]);
export const bookingStatus = pgEnum("booking_status", ["pending", "confirmed", "completed", "cancelled", "no_show"]);
export const orderStatus = pgEnum("order_status", ["pending", "paid", "fulfilled", "cancelled"]);
export const invoiceStatus = pgEnum("invoice_status", ["draft", "issued", "paid", "void"]);

export type TenantStatus = (typeof tenantStatus.enumValues)[number];
export type MemberRole = (typeof memberRole.enumValues)[number];
export type BillingCycle = (typeof billingCycle.enumValues)[number];
export type ProductStatus = (typeof productStatus.enumValues)[number];
export type BookingStatus = (typeof bookingStatus.enumValues)[number];

/**
 * Plan ids: the rows of subscription_plans (sql/006). A table rather than an
 * enum so prices and limits change without a migration; the ids are fixed.
 */
export const PLAN_IDS = ["free", "standard", "professional", "enterprise"] as const;
