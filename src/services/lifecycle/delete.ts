import type { AdminScope } from "../../tenancy/scopes.ts";
import { applyTransition, type TransitionOptions } from "./apply-transition.ts";
import { lockTenant } from "./tenant.ts";
import type { TenantStatus } from "./transitions.ts";

/** pending | active | suspended → closed: a soft delete (deleted_at). Members get NOT_FOUND; the rows stay for the retention period, then purgeTenant removes them. */
export async function deleteTenant(scope: AdminScope, tenantRef: string, options: TransitionOptions): Promise<{ status: TenantStatus }> {
  return applyTransition(scope, await lockTenant(scope, tenantRef), "delete", options);
}
