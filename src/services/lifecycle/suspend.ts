import { ValidationError } from "../../lib/errors.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { applyTransition, type TransitionOptions } from "./apply-transition.ts";
import { lockTenant } from "./tenant.ts";
import type { TenantStatus } from "./transitions.ts";

/**
 * active → suspended: every member's next request is FORBIDDEN (tenantProcedure
 * reads the status in its first query) and customers no longer see the business.
 * A reason is required: the owner is told why, and the audit trail keeps it.
 */
export async function suspendTenant(scope: AdminScope, tenantRef: string, options: TransitionOptions): Promise<{ status: TenantStatus }> {
  if (!options.reason?.trim()) throw new ValidationError("A suspension needs a reason");
  return applyTransition(scope, await lockTenant(scope, tenantRef), "suspend", options);
}
