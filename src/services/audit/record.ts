import { auditLog } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Appends one audit row for a mutation, in the mutation's own transaction. */
export async function recordAudit(scope: TenantScope, entry: AuditEntry): Promise<void> {
  await scope.db.insert(auditLog).values({
    businessId: scope.businessId,
    actorUserId: scope.userId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    details: entry.details ?? {},
  });
}
