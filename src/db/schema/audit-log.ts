import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

/** Append-only record of every mutation: the app role may insert and read, never change. */
export const auditLog = pgTable(
  "audit_log",
  {
    ...tenantColumns(),
    actorUserId: id("actor_user_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    details: jsonb("details").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
  ],
);
