import { sql } from "drizzle-orm";
import { jobEffects } from "../../db/schema/index.ts";
import { rows } from "../../tenancy/rows.ts";
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

/** Has this effect been recorded (and committed, or recorded in this transaction)? */
export async function effectRecorded(scope: TenantScope, key: string): Promise<boolean> {
  const [row] = await rows<{ found: boolean }>(
    scope.db,
    sql`select exists (select 1 from ${jobEffects} where business_id = ${scope.businessId} and effect_key = ${key}) as found`,
  );
  return !!row?.found;
}
