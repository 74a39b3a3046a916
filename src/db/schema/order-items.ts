import { sql } from "drizzle-orm";
import { check, foreignKey, integer, pgTable } from "drizzle-orm/pg-core";
import { id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { orders } from "./orders.ts";
import { products } from "./products.ts";

/** customer_user_id is copied from the order so the customer policy needs no join. */
export const orderItems = pgTable(
  "order_items",
  {
    ...tenantColumns(),
    orderId: id("order_id").notNull(),
    productId: id("product_id").notNull(),
    customerUserId: id("customer_user_id").notNull(),
    quantity: integer("quantity").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (t) => [
    ...tenantKeys(t),
    foreignKey({ columns: [t.businessId, t.orderId], foreignColumns: [orders.businessId, orders.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.businessId, t.productId], foreignColumns: [products.businessId, products.id] }),
    check("order_items_quantity_positive", sql`${t.quantity} > 0`),
  ],
);
