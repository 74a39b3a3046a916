/** Builds the app's dependencies from running services; the caller owns their lifetime. */
import { closePools, createPools, type PoolOptions } from "./db/client.ts";
import type { RoleUrls } from "./db/roles.ts";
import { createTokenIssuer, type TokenConfig } from "./lib/tokens.ts";
import { createCache } from "./tenancy/cache.ts";
import { createRateLimiter } from "./tenancy/rate-limit.ts";
import { createRatePolicies } from "./tenancy/rate-policy.ts";
import { createScopes } from "./tenancy/scopes.ts";
import type { AppDeps } from "./trpc/context.ts";

export interface DepsConfig {
  roleUrls: RoleUrls;
  pool?: PoolOptions;
  tokens: TokenConfig;
  baseDomain: string;
  redisUrl?: string;
  /** Every Redis key lives under `{cachePrefix}:` (default "desibazaar"). */
  cachePrefix?: string;
  meiliUrl?: string;
}

export interface OwnedDeps extends AppDeps {
  close(): Promise<void>;
}

export function createDeps(config: DepsConfig): OwnedDeps {
  const pools = createPools(config.roleUrls, config.pool);
  const cache = createCache({ redisUrl: config.redisUrl, prefix: config.cachePrefix ?? "desibazaar" });
  const scopes = createScopes(pools, cache);
  return {
    pools,
    scopes,
    tokens: createTokenIssuer(config.tokens),
    baseDomain: config.baseDomain,
    cache,
    admission: { cache, limiter: createRateLimiter(cache.store), policies: createRatePolicies(cache, scopes) },
    checks: {
      cache: () => cache.probe(),
      search: async () =>
        !!config.meiliUrl && (await fetch(`${config.meiliUrl}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)),
    },
    async close() {
      await closePools(pools);
      await cache.close();
    },
  };
}
