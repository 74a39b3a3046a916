import { z } from "zod";
import { ClientKey, OutText } from "../../lib/schemas.ts";
import { TenantRef } from "../../tenancy/tenant-ref.ts";

/** admin.cache.stats: the busiest tenants first (most refused, then most missed). */
export const CacheStatsInput = z.object({ limit: z.number().int().min(1).max(1_000).default(100) }).default({ limit: 100 });
export type CacheStatsInput = z.infer<typeof CacheStatsInput>;

/** admin.cache.flush: one business's cache, by tenantKey or slug. */
export const FlushCacheInput = z.object({
  tenantRef: TenantRef,
});
export type FlushCacheInput = z.infer<typeof FlushCacheInput>;

/** admin.rateLimits.set: a plan's requests per minute per business (null: unlimited); each member gets a fifth. */
export const SetPlanRateInput = z.object({
  planId: ClientKey(50),
  requestsPerMinute: z.number().int().min(1).max(10_000_000).nullable(),
});
export type SetPlanRateInput = z.infer<typeof SetPlanRateInput>;

export const CacheStatsRow = z.object({
  businessId: z.number(),
  tenantKey: OutText.nullable(),
  slug: OutText.nullable(),
  name: OutText.nullable(),
  hits: z.number(),
  misses: z.number(),
  bypassed: z.number(),
  hitRatio: z.number().nullable(),
  refusals: z.number(),
});
export const CacheFlushed = z.object({ businessId: z.number(), flushed: z.literal(true) });
export const PlanRate = z.object({ planId: OutText, name: OutText, requestsPerMinute: z.number().nullable(), perMemberPerMinute: z.number().nullable() });
export const PlanRateSet = PlanRate.extend({ effectiveWithinSeconds: z.number() });
