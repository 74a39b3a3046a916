import { foreignKey, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { businessId, id, updatedAt } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";
import { files } from "./files.ts";

/** One row per business: regional defaults, the limits it puts on each customer, free-form preferences and the logo (a file of this business). */
export const businessSettings = pgTable(
  "business_settings",
  {
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
    logoFileId: id("logo_file_id"),
    updatedAt: updatedAt(),
  },
  (t) => [foreignKey({ name: "business_settings_logo_file_fk", columns: [t.businessId, t.logoFileId], foreignColumns: [files.businessId, files.id] })],
);
