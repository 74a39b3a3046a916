import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

/** A business's record of a platform user who booked or ordered with it. */
export const customers = pgTable(
  "customers",
  {
    ...tenantColumns(),
    userId: id("user_id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
    uniqueIndex("customers_business_user_key").on(t.businessId, t.userId),
  ],
);
