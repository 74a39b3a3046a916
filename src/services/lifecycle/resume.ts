import type { AdminScope } from "../../tenancy/scopes.ts";
import { applyTransition, type TransitionOptions } from "./apply-transition.ts";
import { lockTenant } from "./tenant.ts";
import type { TenantStatus } from "./transitions.ts";

/** suspended → active (super admins only: an owner cannot lift a suspension). */
export async function resumeTenant(scope: AdminScope, tenantRef: string, options: TransitionOptions): Promise<{ status: TenantStatus }> {
  return applyTransition(scope, await lockTenant(scope, tenantRef), "resume", options);
}
