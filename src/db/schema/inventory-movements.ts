import { foreignKey, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";
import { products } from "./products.ts";

/** The stock ledger: every change of a product's stock, so the sum of deltas equals the stock. */
export const inventoryMovements = pgTable(
  "inventory_movements",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    productId: id("product_id").notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    orderId: id("order_id"),
    actorUserId: id("actor_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    index("inventory_movements_product_idx").on(t.businessId, t.productId),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.businessId, t.productId], foreignColumns: [products.businessId, products.id] }).onDelete("cascade"),
  ],
);
