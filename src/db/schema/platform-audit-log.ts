import { bigint, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";

/**
 * What super admins and operators did across tenants (impersonation, purge, ...).
 * Not a tenant table: it outlives the tenants it names (a purge is recorded here).
 */
export const platformAuditLog = pgTable("platform_audit_log", {
  id: id().primaryKey().generatedByDefaultAsIdentity(),
  actorUserId: id("actor_user_id"),
  action: text("action").notNull(),
  targetBusinessId: bigint("target_business_id", { mode: "number" }),
  reason: text("reason"),
  details: jsonb("details").notNull().default({}),
  createdAt: createdAt(),
});
