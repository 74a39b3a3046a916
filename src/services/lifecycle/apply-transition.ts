/**
 * One lifecycle transition: the status change, a lifecycle event, a line in
 * the business's audit log (its owner sees it) and one in the platform's
 * (it survives a purge), all in the caller's transaction.
 */
import { eq } from "drizzle-orm";
import { businessTenants, tenantLifecycleEvents } from "../../db/schema/index.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { recordOperatorAudit } from "../audit/record.ts";
import type { LockedTenant } from "./tenant.ts";
import { nextStatus, type LifecycleVerb, type TenantStatus } from "./transitions.ts";

export interface LifecycleActor {
  /** null for an operator at the CLI (or the seed), who is no platform user. */
  userId: number | null;
  via: "api" | "cli" | "seed" | "job";
}

export interface TransitionOptions {
  actor: LifecycleActor;
  reason?: string;
  now?: Date;
}

export async function applyTransition(
  scope: AdminScope,
  tenant: LockedTenant,
  verb: Exclude<LifecycleVerb, "purge">,
  { actor, reason, now = new Date() }: TransitionOptions,
): Promise<{ status: TenantStatus }> {
  const to = nextStatus(verb, tenant.status) as TenantStatus;
  await scope.db
    .update(businessTenants)
    .set({ status: to, updatedAt: now, deletedAt: to === "closed" ? now : null })
    .where(eq(businessTenants.id, tenant.id));
  await scope.db
    .insert(tenantLifecycleEvents)
    .values({ businessId: tenant.id, fromStatus: tenant.status, toStatus: to, reason: reason ?? null, actorUserId: actor.userId });
  await recordOperatorAudit(scope, {
    actorUserId: actor.userId,
    action: `tenant.${verb}`,
    entityType: "business_tenant",
    targetBusinessId: tenant.id,
    reason,
    details: { from: tenant.status, to, reason: reason ?? null, via: actor.via },
    platformDetails: { tenantKey: tenant.tenantKey, slug: tenant.slug },
  });
  // Only active businesses are in the public directory: every transition re-decides the listing.
  await scope.jobs.send([tenant.id], "search.index-listing", {});
  return { status: to };
}
