import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

/** Named permission sets a business can give its members (manager, staff, customer, ...). */
export const roles = pgTable(
  "roles",
  {
    ...tenantColumns(),
    name: text("name").notNull(),
    permissions: text("permissions").array().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
    uniqueIndex("roles_business_name_key").on(t.businessId, t.name),
  ],
);
