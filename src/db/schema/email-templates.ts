import { foreignKey, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { businessId, id, updatedAt } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

export const emailTemplates = pgTable(
  "email_templates",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    key: text("key").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    uniqueIndex("email_templates_business_key_key").on(t.businessId, t.key),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
