import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { businessId, updatedAt } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** One row per business: regional defaults and free-form preferences. */
export const businessSettings = pgTable("business_settings", {
  businessId: businessId()
    .primaryKey()
    .references(() => businessTenants.id, { onDelete: "cascade" }),
  timezone: text("timezone").notNull().default("Asia/Kolkata"),
  currency: text("currency").notNull().default("INR"),
  locale: text("locale").notNull().default("en-IN"),
  preferences: jsonb("preferences").notNull().default({}),
  updatedAt: updatedAt(),
});
