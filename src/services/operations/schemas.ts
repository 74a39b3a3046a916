import { z } from "zod";

/** admin.cache.stats: the busiest tenants first (most refused, then most missed). */
export const CacheStatsInput = z.object({ limit: z.number().int().min(1).max(1_000).default(100) }).default({ limit: 100 });
export type CacheStatsInput = z.infer<typeof CacheStatsInput>;

/** admin.cache.flush: one business's cache, by tenantKey or slug. */
export const FlushCacheInput = z.object({
  tenantRef: z.union([z.uuid(), z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)]),
});
export type FlushCacheInput = z.infer<typeof FlushCacheInput>;

/** admin.rateLimits.set: a plan's requests per minute per business (null: unlimited); each member gets a fifth. */
export const SetPlanRateInput = z.object({
  planId: z.string().trim().min(1).max(50),
  requestsPerMinute: z.number().int().min(1).max(10_000_000).nullable(),
});
export type SetPlanRateInput = z.infer<typeof SetPlanRateInput>;
