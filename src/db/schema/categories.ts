import { foreignKey, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

export const categories = pgTable(
  "categories",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    uniqueIndex("categories_business_name_key").on(t.businessId, t.name),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
