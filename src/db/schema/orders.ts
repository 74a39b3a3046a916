import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { businessId, createdAt, id, updatedAt } from "./columns.ts";
import { orderStatus } from "./enums.ts";
import { businessTenants } from "./business-tenants.ts";

export const orders = pgTable(
  "orders",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    customerUserId: id("customer_user_id").notNull(),
    status: orderStatus("status").notNull().default("pending"),
    totalCents: integer("total_cents").notNull(),
    currency: text("currency").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    index("orders_customer_idx").on(t.customerUserId),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
    check("orders_total_nonnegative", sql`${t.totalCents} >= 0`),
  ],
);
