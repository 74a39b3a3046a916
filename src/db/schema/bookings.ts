import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { businessId, createdAt, id, updatedAt } from "./columns.ts";
import { bookingStatus } from "./enums.ts";
import { businessTenants } from "./business-tenants.ts";
import { services } from "./services.ts";

/**
 * A customer's booking of a service. No two live bookings of one staff member
 * overlap: an exclusion constraint (sql/007_marketplace.sql) enforces it.
 */
export const bookings = pgTable(
  "bookings",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
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
    primaryKey({ columns: [t.businessId, t.id] }),
    index("bookings_customer_idx").on(t.customerUserId),
    index("bookings_business_starts_idx").on(t.businessId, t.startsAt),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.businessId, t.serviceId], foreignColumns: [services.businessId, services.id] }),
    check("bookings_time_order", sql`${t.startsAt} < ${t.endsAt}`),
  ],
);
