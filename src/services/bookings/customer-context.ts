/**
 * Shared steps of the customer mode: find the open business a customer names,
 * and make sure the business has a customer record for them. Customer audit
 * rows are written with recordCustomerAudit (services/audit/record.ts).
 */
import { eq, sql } from "drizzle-orm";
import { businessTenants, customers, users } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";

/**
 * The id of an active business by tenantKey or slug, in one query; NOT_FOUND for
 * unknown, suspended or closed ones (the customer role sees only active businesses).
 */
export async function openBusinessId(scope: CustomerScope, tenantRef: string): Promise<number> {
  const [open] = await scope.db
    .select({ id: businessTenants.id })
    .from(businessTenants)
    .where(eq(businessTenants.id, sql`app.tenant_id_for_key(${tenantRef})`));
  if (!open) throw new NotFoundError("Business not found");
  return open.id;
}

/** The business's customer record for the caller, copied from the caller's own user row (one statement). */
export async function ensureCustomerRecord(scope: CustomerScope, businessId: number): Promise<void> {
  await scope.db.execute(sql`
    insert into ${customers} (business_id, user_id, name, email)
    select ${businessId}, u.id, u.name, u.email from ${users} u where u.id = ${scope.userId}
    on conflict (business_id, user_id) do nothing`);
}
