import { foreignKey, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { businessId, id, updatedAt } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";
import { files } from "./files.ts";

/** One row per business: regional defaults, free-form preferences and the logo (a file of this business). */
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
    logoFileId: id("logo_file_id"),
    updatedAt: updatedAt(),
  },
  (t) => [foreignKey({ name: "business_settings_logo_file_fk", columns: [t.businessId, t.logoFileId], foreignColumns: [files.businessId, files.id] })],
);
