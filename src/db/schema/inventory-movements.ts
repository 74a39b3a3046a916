import { foreignKey, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { products } from "./products.ts";

/** The stock ledger: every change of a product's stock, so the sum of deltas equals the stock. */
export const inventoryMovements = pgTable(
  "inventory_movements",
  {
    ...tenantColumns(),
    productId: id("product_id").notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    orderId: id("order_id"),
    actorUserId: id("actor_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
    index("inventory_movements_product_idx").on(t.businessId, t.productId),
    foreignKey({ columns: [t.businessId, t.productId], foreignColumns: [products.businessId, products.id] }).onDelete("cascade"),
  ],
);
