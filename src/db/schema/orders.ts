import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { orderStatus } from "./enums.ts";

export const orders = pgTable(
  "orders",
  {
    ...tenantColumns(),
    customerUserId: id("customer_user_id").notNull(),
    status: orderStatus("status").notNull().default("pending"),
    totalCents: integer("total_cents").notNull(),
    currency: text("currency").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ...tenantKeys(t),
    index("orders_customer_idx").on(t.customerUserId),
    // The hold-expiry sweep looks for old pending orders across businesses every minute.
    index("orders_pending_created_idx").on(t.createdAt).where(sql`${t.status} = 'pending'`),
    check("orders_total_nonnegative", sql`${t.totalCents} >= 0`),
  ],
);
