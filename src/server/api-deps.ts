/**
 * The deps an API process serves with, built the same way by `bun run start`
 * (src/index.ts) and by each further API process it starts (api-process.ts):
 * everything from the environment, except what start-up found out (the role
 * URLs, the context key, the pool size that fits the database, Meilisearch and
 * its key).
 */
import type { RoleUrls } from "../db/roles.ts";
import { createDeps, type OwnedDeps } from "../deps.ts";
import { env } from "../env.ts";
import { persistedSecret } from "../infra/services.ts";

export interface ApiWiring {
  roleUrls: RoleUrls;
  contextKey: string;
  poolMax: number;
  meiliUrl?: string;
  meiliMasterKey?: string;
}

export function apiDepsFromEnv(wiring: ApiWiring): OwnedDeps {
  return createDeps({
    roleUrls: wiring.roleUrls,
    contextKey: wiring.contextKey,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    policy: { trialPlanId: env.TRIAL_PLAN, maxBusinessesPerUser: env.MAX_BUSINESSES_PER_USER },
    pool: { max: wiring.poolMax },
    tokens: { secret: env.JWT_SECRET ?? persistedSecret(env.DATA_DIR, "jwt-secret") },
    baseDomain: env.BASE_DOMAIN,
    redisUrl: env.REDIS_URL,
    cachePrefix: env.CACHE_PREFIX,
    meiliUrl: wiring.meiliUrl,
    meiliMasterKey: wiring.meiliMasterKey,
  });
}
