import type { LifecycleActor } from "../lifecycle/apply-transition.ts";
import { recordPlatformAudit } from "../audit/record.ts";
import { lockTenant } from "../lifecycle/tenant.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";

/**
 * Drops everything cached for one business, at once and in every API process
 * (an operator who changed its rows by hand, or suspects a stale entry). Its
 * rate buckets and counters stay.
 */
export async function flushTenantCache(scope: AdminScope, tenantRef: string, actor: LifecycleActor): Promise<{ businessId: number; flushed: true }> {
  const tenant = await lockTenant(scope, tenantRef);
  await scope.cache.flushTenant(tenant.id);
  await recordPlatformAudit(scope, { actorUserId: actor.userId, action: "tenant.cache_flush", targetBusinessId: tenant.id, details: { via: actor.via } });
  return { businessId: tenant.id, flushed: true };
}
