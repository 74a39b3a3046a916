/** Builds the app's dependencies from running services; the caller owns their lifetime. */
import type { Storage } from "unstorage";
import { closePools, createPools, type PoolOptions } from "./db/client.ts";
import { createJobSender, type JobSender } from "./jobs/sender.ts";
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
  /** Queues jobs in the caller's transaction (`scope.jobs`); a worker runs them (src/jobs/worker.ts). */
  jobs: JobSender;
  close(): Promise<void>;
}

export function createDeps(config: DepsConfig): OwnedDeps {
  const pools = createPools(config.roleUrls, config.pool);
  const cache = createCacheStorage(config.redisUrl);
  // The sender only reads the queue list (and pg-boss's version) on its own connection: the tenant role will do.
  const jobs = createJobSender(config.roleUrls.app);
  return {
    pools,
    scopes: createScopes(pools, jobs),
    jobs,
    tokens: createTokenIssuer(config.tokens),
    baseDomain: config.baseDomain,
    cache,
    checks: {
      cache: () => cacheIsUp(cache),
      search: async () =>
        !!config.meiliUrl && (await fetch(`${config.meiliUrl}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)),
    },
    async close() {
      await jobs.close();
      await closePools(pools);
      await cache.dispose();
    },
  };
}
