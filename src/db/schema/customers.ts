import { foreignKey, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** A business's record of a platform user who booked or ordered with it. */
export const customers = pgTable(
  "customers",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    userId: id("user_id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    uniqueIndex("customers_business_user_key").on(t.businessId, t.userId),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
