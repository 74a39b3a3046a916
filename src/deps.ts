/** Builds the app's dependencies from running services; the caller owns their lifetime. */
import type { Storage } from "unstorage";
import { closePools, createPools, type PoolOptions } from "./db/client.ts";
import type { RoleUrls } from "./db/roles.ts";
import { createTokenIssuer, type TokenConfig } from "./lib/tokens.ts";
import { cacheIsUp, createCacheStorage } from "./tenancy/cache.ts";
import { createScopes } from "./tenancy/scopes.ts";
import type { AppDeps } from "./trpc/context.ts";

export interface DepsConfig {
  roleUrls: RoleUrls;
  pool?: PoolOptions;
  tokens: TokenConfig;
  baseDomain: string;
  redisUrl?: string;
  meiliUrl?: string;
}

export interface OwnedDeps extends AppDeps {
  cache: Storage;
  close(): Promise<void>;
}

export function createDeps(config: DepsConfig): OwnedDeps {
  const pools = createPools(config.roleUrls, config.pool);
  const cache = createCacheStorage(config.redisUrl);
  return {
    pools,
    scopes: createScopes(pools),
    tokens: createTokenIssuer(config.tokens),
    baseDomain: config.baseDomain,
    cache,
    checks: {
      cache: () => cacheIsUp(cache),
      search: async () =>
        !!config.meiliUrl && (await fetch(`${config.meiliUrl}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)),
    },
    async close() {
      await closePools(pools);
      await cache.dispose();
    },
  };
}
