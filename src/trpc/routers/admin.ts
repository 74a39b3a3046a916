import { BusinessLimit, SetBusinessLimitInput, setBusinessLimit } from "../../services/admin/users.ts";
import { cacheStats } from "../../services/operations/cache-stats.ts";
import { flushTenantCache } from "../../services/operations/flush-cache.ts";
import { listPlanRates, setPlanRate } from "../../services/operations/plan-rates.ts";
import { CacheFlushed, CacheStatsInput, CacheStatsRow, FlushCacheInput, PlanRate, PlanRateSet, SetPlanRateInput } from "../../services/operations/schemas.ts";
import { z } from "zod";
import { router } from "../init.ts";
import { adminJobsRouter } from "./jobs.ts";
import { adminProcedure } from "../procedures.ts";

const actorOf = (userId: number) => ({ userId, via: "api" as const });

/** Platform operations, super admins only. */
export const adminRouter = router({
  users: router({
    /** How many open businesses one account may own; `limit: null` returns it to MAX_BUSINESSES_PER_USER. */
    setBusinessLimit: adminProcedure.input(SetBusinessLimitInput).output(BusinessLimit).mutation(({ ctx, input }) => setBusinessLimit(ctx.scope, input)),
  }),
  cache: router({
    /** Hits, misses and rate-limit refusals per business, across every API process. */
    stats: adminProcedure.input(CacheStatsInput).output(z.array(CacheStatsRow)).query(({ ctx, input }) => cacheStats(ctx.scope, input)),
    flush: adminProcedure.input(FlushCacheInput).output(CacheFlushed).mutation(({ ctx, input }) => flushTenantCache(ctx.scope, input.tenantRef, actorOf(ctx.user.userId))),
  }),
  jobs: adminJobsRouter,
  rateLimits: router({
    list: adminProcedure.output(z.array(PlanRate)).query(({ ctx }) => listPlanRates(ctx.scope)),
    /** Takes effect for every business on the plan within a minute. */
    set: adminProcedure.input(SetPlanRateInput).output(PlanRateSet).mutation(({ ctx, input }) => setPlanRate(ctx.scope, input, actorOf(ctx.user.userId))),
  }),
});
