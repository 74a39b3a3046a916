/**
 * The one audit writer: every audit row (a business's own log, and the
 * platform's) is appended here, in the caller's transaction, so it commits or
 * rolls back with the mutation it records. test/architecture.test.ts refuses
 * audit inserts anywhere else.
 */
import { auditLog, platformAuditLog } from "../../db/schema/index.ts";
import type { ScopedDb } from "../../tenancy/transaction.ts";
import type { AdminScope, CustomerScope, TenantScope } from "../../tenancy/scopes.ts";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

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

/** A business's own mutation, with the signed-in member (or the provisioning user) as actor. */
export function recordAudit(scope: TenantScope, entry: AuditEntry): Promise<void> {
  return appendAudit(scope.db, scope.businessId, scope.userId ?? null, entry);
}

/** A customer's mutation, in the log of the business it was made with, with the customer as actor. */
export function recordCustomerAudit(scope: CustomerScope, businessId: number, entry: AuditEntry): Promise<void> {
  return appendAudit(scope.db, businessId, scope.userId, entry);
}

export interface PlatformAuditEntry {
  /** null for an operator at the CLI (or the seed), who is no platform user. */
  actorUserId: number | null;
  action: string;
  /** null: a platform-wide change (a plan's limits, an account), not one business's. */
  targetBusinessId: number | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** One line of the platform's own audit trail; it outlives the business it names (a purge is recorded here). */
export async function recordPlatformAudit(scope: AdminScope, entry: PlatformAuditEntry): Promise<void> {
  await scope.db.insert(platformAuditLog).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetBusinessId: entry.targetBusinessId,
    reason: entry.reason ?? null,
    details: entry.details ?? {},
  });
}

/**
 * What an operator (super admin, CLI, seed) did to a business: a line in the
 * business's own log, which its owner sees, and one in the platform's, with
 * `platformDetails` added (it must identify the business after a purge).
 */
export async function recordOperatorAudit(
  scope: AdminScope,
  entry: PlatformAuditEntry & { targetBusinessId: number; entityType: string; platformDetails?: Record<string, unknown> },
): Promise<void> {
  const { targetBusinessId, actorUserId, action, details = {} } = entry;
  await appendAudit(scope.db, targetBusinessId, actorUserId, { action, entityType: entry.entityType, entityId: targetBusinessId, details });
  await recordPlatformAudit(scope, { actorUserId, action, targetBusinessId, reason: entry.reason, details: { ...details, ...entry.platformDetails } });
}
