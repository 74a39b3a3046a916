import { auditLog } from "../../db/schema/index.ts";
import type { ScopedDb } from "../../tenancy/transaction.ts";
import type { CustomerScope, TenantScope } from "../../tenancy/scopes.ts";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Appends one audit row in the caller's own transaction (so it commits or rolls back with the mutation). */
async function appendAudit(db: ScopedDb, businessId: number, actorUserId: number | null, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    businessId,
    actorUserId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    details: entry.details ?? {},
  });
}

/** A business's own mutation, with the signed-in member as actor. */
export function recordAudit(scope: TenantScope, entry: AuditEntry): Promise<void> {
  return appendAudit(scope.db, scope.businessId, scope.userId ?? null, entry);
}

/** A customer's mutation, in the log of the business it was made with, with the customer as actor. */
export function recordCustomerAudit(scope: CustomerScope, businessId: number, entry: AuditEntry): Promise<void> {
  return appendAudit(scope.db, businessId, scope.userId, entry);
}
