import { jobEffects } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

/**
 * Claims an effect for this business: true the first time `key` is recorded,
 * false if it already was. Call it in the transaction that has the effect, before
 * the effect: a second run of the same job then skips it, and a concurrent run
 * waits on the unique index until the first commits (or rolls back).
 */
export async function recordEffect(scope: TenantScope, key: string, jobId?: string): Promise<boolean> {
  const claimed = await scope.db
    .insert(jobEffects)
    .values({ businessId: scope.businessId, effectKey: key, jobId })
    .onConflictDoNothing({ target: [jobEffects.businessId, jobEffects.effectKey] })
    .returning({ id: jobEffects.id });
  return claimed.length === 1;
}
