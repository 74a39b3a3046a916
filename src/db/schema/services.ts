import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

/** Bookable services: a haircut, a table for two, a consultation. */
export const services = pgTable(
  "services",
  {
    ...tenantColumns(),
    name: text("name").notNull(),
    description: text("description"),
    durationMinutes: integer("duration_minutes").notNull(),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
    check("services_duration_positive", sql`${t.durationMinutes} > 0 and ${t.durationMinutes} <= 1440`),
    check("services_price_nonnegative", sql`${t.priceCents} >= 0`),
  ],
);
