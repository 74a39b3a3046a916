import type { AdminScope } from "../../tenancy/scopes.ts";
import { applyTransition, type TransitionOptions } from "./apply-transition.ts";
import { lockTenant } from "./tenant.ts";
import type { TenantStatus } from "./transitions.ts";

/** pending → active: the business opens (its owner may do this, or a super admin). */
export async function activateTenant(scope: AdminScope, tenantRef: string, options: TransitionOptions): Promise<{ status: TenantStatus }> {
  return applyTransition(scope, await lockTenant(scope, tenantRef), "activate", options);
}
