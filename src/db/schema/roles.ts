import { foreignKey, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** Named permission sets a business can give its members (manager, staff, customer, ...). */
export const roles = pgTable(
  "roles",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    permissions: text("permissions").array().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    uniqueIndex("roles_business_name_key").on(t.businessId, t.name),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
