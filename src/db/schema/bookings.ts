import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { bookingStatus } from "./enums.ts";
import { services } from "./services.ts";

/**
 * A customer's booking of a service. No two live bookings of one staff member
 * overlap: an exclusion constraint (sql/007_marketplace.sql) enforces it.
 */
export const bookings = pgTable(
  "bookings",
  {
    ...tenantColumns(),
    serviceId: id("service_id").notNull(),
    customerUserId: id("customer_user_id").notNull(),
    staffUserId: id("staff_user_id"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    status: bookingStatus("status").notNull().default("pending"),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull(),
    notes: text("notes"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ...tenantKeys(t),
    index("bookings_customer_idx").on(t.customerUserId),
    index("bookings_business_starts_idx").on(t.businessId, t.startsAt),
    foreignKey({ columns: [t.businessId, t.serviceId], foreignColumns: [services.businessId, services.id] }),
    check("bookings_time_order", sql`${t.startsAt} < ${t.endsAt}`),
  ],
);
