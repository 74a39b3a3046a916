/**
 * Who may run an owner-or-admin lifecycle call (activate, delete) on a business:
 * a platform super admin, or the business's owner. Asked on the super-admin role,
 * in the first query of the transaction the call then runs in.
 */
import { sql } from "drizzle-orm";
import { ForbiddenError, NotFoundError } from "../../lib/errors.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { rows } from "../../tenancy/rows.ts";
import { byTenantRef } from "./tenant.ts";

export interface OperatorAccess {
  businessId: number;
  as: "super_admin" | "owner";
}

/** `tenantRef`: the business's tenantKey or slug. */
export async function authorizeOwnerOrSuperAdmin(scope: AdminScope, userId: number, tenantRef: string): Promise<OperatorAccess> {
  const [row] = await rows<{ is_super_admin: boolean; id: string | null; is_owner: boolean }>(
    scope.db,
    sql`
    select coalesce((select u.is_super_admin from public.users u where u.id = ${userId}), false) as is_super_admin,
           business_tenants.id,
           exists (select 1 from public.business_access a
                    where a.business_id = business_tenants.id and a.user_id = ${userId} and a.role = 'owner') as is_owner
      from (select 1) one
      left join public.business_tenants on ${byTenantRef(tenantRef)}`,
  );
  if (row?.is_super_admin) {
    if (!row.id) throw new NotFoundError("Business not found");
    return { businessId: Number(row.id), as: "super_admin" };
  }
  // Unknown and someone else's business get the same answer: no existence oracle for non-admins.
  if (!row?.id || !row.is_owner) throw new ForbiddenError("Only the business's owner or a platform super admin may do this");
  return { businessId: Number(row.id), as: "owner" };
}
