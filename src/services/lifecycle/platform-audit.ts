import { platformAuditLog } from "../../db/schema/index.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";

export interface PlatformAuditEntry {
  actorUserId: number | null;
  action: string;
  /** null: a platform-wide change (a plan's limits), not one business's. */
  targetBusinessId: number | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** One line of the platform's own audit trail; it outlives the tenant it names. */
export async function recordPlatformAudit(scope: AdminScope, entry: PlatformAuditEntry): Promise<void> {
  await scope.db.insert(platformAuditLog).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetBusinessId: entry.targetBusinessId,
    reason: entry.reason ?? null,
    details: entry.details ?? {},
  });
}
