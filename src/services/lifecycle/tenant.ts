/** Finding the business a lifecycle call names, locked for the rest of the transaction. */
import { eq, type SQL } from "drizzle-orm";
import { businessTenants } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { isUuid } from "../../tenancy/tenant-ref.ts";
import type { TenantStatus } from "./transitions.ts";

export interface LockedTenant {
  id: number;
  tenantKey: string;
  slug: string;
  name: string;
  status: TenantStatus;
  deletedAt: Date | null;
}

/** The business_tenants row a tenantRef names: its tenantKey when uuid-shaped, else its slug. */
export function byTenantRef(tenantRef: string): SQL {
  const ref = tenantRef.toLowerCase();
  return isUuid(ref) ? eq(businessTenants.tenantKey, ref) : eq(businessTenants.slug, ref);
}

/**
 * The business by tenantKey or slug, row-locked: two transitions of one
 * business serialise here, so the second sees the first's status.
 */
export async function lockTenant(scope: AdminScope, tenantRef: string): Promise<LockedTenant> {
  const [row] = await scope.db
    .select({
      id: businessTenants.id,
      tenantKey: businessTenants.tenantKey,
      slug: businessTenants.slug,
      name: businessTenants.name,
      status: businessTenants.status,
      deletedAt: businessTenants.deletedAt,
    })
    .from(businessTenants)
    .where(byTenantRef(tenantRef))
    .for("update");
  if (!row) throw new NotFoundError("Business not found");
  return row;
}
