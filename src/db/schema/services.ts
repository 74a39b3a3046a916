import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** Bookable services: a haircut, a table for two, a consultation. */
export const services = pgTable(
  "services",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    description: text("description"),
    durationMinutes: integer("duration_minutes").notNull(),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
    check("services_duration_positive", sql`${t.durationMinutes} > 0 and ${t.durationMinutes} <= 1440`),
    check("services_price_nonnegative", sql`${t.priceCents} >= 0`),
  ],
);
