import { foreignKey, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { tenantStatus } from "./enums.ts";
import { businessTenants } from "./business-tenants.ts";

/** Every status change of a tenant, with who made it and why. */
export const tenantLifecycleEvents = pgTable(
  "tenant_lifecycle_events",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    fromStatus: tenantStatus("from_status"),
    toStatus: tenantStatus("to_status").notNull(),
    reason: text("reason"),
    actorUserId: id("actor_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
