/**
 * Shared steps of the customer mode: find the open business a customer names,
 * and make sure the business has a customer record for them.
 */
import { eq, sql } from "drizzle-orm";
import { auditLog, businessTenants, customers, users } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";
import type { AuditEntry } from "../audit/record.ts";

/** The id of an active business by tenantKey or slug; NOT_FOUND for unknown, suspended or closed ones. */
export async function openBusinessId(scope: CustomerScope, tenantRef: string): Promise<number> {
  const [row] = (await scope.db.execute(sql`select app.tenant_id_for_key(${tenantRef}) as id`)) as unknown as { id: string | null }[];
  if (row?.id) {
    // The customer role sees only active businesses, so this also checks the status.
    const [open] = await scope.db.select({ id: businessTenants.id }).from(businessTenants).where(eq(businessTenants.id, Number(row.id)));
    if (open) return open.id;
  }
  throw new NotFoundError("Business not found");
}

export async function ensureCustomerRecord(scope: CustomerScope, businessId: number): Promise<void> {
  const [me] = await scope.db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, scope.userId));
  await scope.db
    .insert(customers)
    .values({ businessId, userId: scope.userId, name: me!.name, email: me!.email })
    .onConflictDoNothing();
}

/** Customer mutations are audited in the business's log, with the customer as actor. */
export async function recordCustomerAudit(scope: CustomerScope, businessId: number, entry: AuditEntry): Promise<void> {
  await scope.db.insert(auditLog).values({
    businessId,
    actorUserId: scope.userId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    details: entry.details ?? {},
  });
}
