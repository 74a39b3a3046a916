import { boolean, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";

/** Platform users: customers, staff and super admins alike. Not a tenant table. */
export const users = pgTable(
  "users",
  {
    id: id().primaryKey().generatedByDefaultAsIdentity(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    isSuperAdmin: boolean("is_super_admin").notNull().default(false),
    /** Businesses this user may create; null: the platform's MAX_BUSINESSES_PER_USER. Only super admins change it. */
    maxBusinesses: integer("max_businesses"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);
