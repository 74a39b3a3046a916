import { index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { memberRole } from "./enums.ts";
import { businessTenants } from "./business-tenants.ts";
import { users } from "./users.ts";

/** Memberships: which users work for a business, in which role, with which permissions. */
export const businessAccess = pgTable(
  "business_access",
  {
    businessId: businessId().references(() => businessTenants.id, { onDelete: "cascade" }),
    userId: id("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull(),
    permissions: text("permissions").array().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.userId] }), index("business_access_user_id_idx").on(t.userId)],
);
