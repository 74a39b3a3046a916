import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

export const emailTemplates = pgTable(
  "email_templates",
  {
    ...tenantColumns(),
    key: text("key").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ...tenantKeys(t),
    uniqueIndex("email_templates_business_key_key").on(t.businessId, t.key),
  ],
);
