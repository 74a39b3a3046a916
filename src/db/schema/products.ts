import { sql } from "drizzle-orm";
import { check, foreignKey, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { productStatus } from "./enums.ts";
import { categories } from "./categories.ts";
import { files } from "./files.ts";

/** Money is integer cents with an ISO currency; stock can never go negative (CHECK). */
export const products = pgTable(
  "products",
  {
    ...tenantColumns(),
    categoryId: id("category_id"),
    name: text("name").notNull(),
    description: text("description"),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull(),
    stock: integer("stock").notNull().default(0),
    status: productStatus("status").notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** Optional picture: a file of this business (the composite key makes another business's file impossible). */
    imageFileId: id("image_file_id"),
  },
  (t) => [
    ...tenantKeys(t),
    foreignKey({ columns: [t.businessId, t.categoryId], foreignColumns: [categories.businessId, categories.id] }),
    foreignKey({ columns: [t.businessId, t.imageFileId], foreignColumns: [files.businessId, files.id] }),
    check("products_stock_nonnegative", sql`${t.stock} >= 0`),
    check("products_price_nonnegative", sql`${t.priceCents} >= 0`),
    check("products_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);
