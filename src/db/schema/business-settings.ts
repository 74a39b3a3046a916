import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { businessId, updatedAt } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** One row per business: regional defaults, the limits it puts on each customer, and free-form preferences. */
export const businessSettings = pgTable("business_settings", {
  businessId: businessId()
    .primaryKey()
    .references(() => businessTenants.id, { onDelete: "cascade" }),
  timezone: text("timezone").notNull().default("Asia/Kolkata"),
  currency: text("currency").notNull().default("INR"),
  locale: text("locale").notNull().default("en-IN"),
  preferences: jsonb("preferences").notNull().default({}),
  /** How far ahead customers may book (sql/007 refuses bookings beyond it). */
  bookingHorizonDays: integer("booking_horizon_days").notNull().default(365),
  /** Open (pending or confirmed, not yet ended) bookings one customer may hold with this business. */
  maxOpenBookingsPerCustomer: integer("max_open_bookings_per_customer").notNull().default(10),
  /** Unpaid (pending) orders one customer may hold with this business. */
  maxPendingOrdersPerCustomer: integer("max_pending_orders_per_customer").notNull().default(5),
  updatedAt: updatedAt(),
});
