import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { tenantStatus } from "./enums.ts";

/** Every status change of a tenant, with who made it and why. */
export const tenantLifecycleEvents = pgTable(
  "tenant_lifecycle_events",
  {
    ...tenantColumns(),
    fromStatus: tenantStatus("from_status"),
    toStatus: tenantStatus("to_status").notNull(),
    reason: text("reason"),
    actorUserId: id("actor_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
  ],
);
