import { inArray } from "drizzle-orm";
import { businessTenants } from "../../db/schema/index.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import type { CacheStatsInput } from "./schemas.ts";

/**
 * Cache hits, misses, bypassed reads and rate-limit refusals per business,
 * summed over every API process (on Redis; this process's on memory), with the
 * business's names. A purged business's counts are gone with it.
 */
export async function cacheStats(scope: AdminScope, input: CacheStatsInput) {
  const rows = await scope.cache.stats(input.limit);
  if (!rows.length) return [];
  const names = await scope.db
    .select({ id: businessTenants.id, tenantKey: businessTenants.tenantKey, slug: businessTenants.slug, name: businessTenants.name })
    .from(businessTenants)
    .where(inArray(businessTenants.id, rows.map((r) => r.businessId)));
  const byId = new Map(names.map((n) => [n.id, n]));
  return rows.map((r) => {
    const lookups = r.hits + r.misses;
    const business = byId.get(r.businessId);
    return {
      businessId: r.businessId,
      tenantKey: business?.tenantKey ?? null,
      slug: business?.slug ?? null,
      name: business?.name ?? null,
      hits: r.hits,
      misses: r.misses,
      bypassed: r.bypassed,
      hitRatio: lookups ? r.hits / lookups : null,
      refusals: r.refusals,
    };
  });
}
