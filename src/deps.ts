/** Builds the app's dependencies from running services; the caller owns their lifetime. */
import { join, resolve } from "node:path";
import { closePools, createPools, type PoolOptions, type Pools } from "./db/client.ts";
import { ROLE_KINDS, roleOf, type RoleNames, type RoleUrls } from "./db/roles.ts";
import { env } from "./env.ts";
import { persistedSecret } from "./infra/services.ts";
import { createJobSender, type JobSender } from "./jobs/sender.ts";
import { createTokenIssuer, type TokenConfig } from "./lib/tokens.ts";
import { DEFAULT_PROVISIONING_POLICY, type ProvisioningPolicy } from "./services/tenants/provision.ts";
import { createCache } from "./tenancy/cache.ts";
import { createContextStatements } from "./tenancy/db-context.ts";
import { createFileStorage, type FileStorageConfig } from "./tenancy/files.ts";
import { createRateLimiter } from "./tenancy/rate-limit.ts";
import { createRatePolicies } from "./tenancy/rate-policy.ts";
import { createScopes } from "./tenancy/scopes.ts";
import { createSearch, type SearchService } from "./tenancy/search.ts";
import type { AppDeps } from "./trpc/context.ts";

export interface DepsConfig {
  roleUrls: RoleUrls;
  /** Signs each transaction's context; the database holds its copy (src/db/migrate.ts). */
  contextKey: string;
  pool?: PoolOptions;
  tokens: TokenConfig;
  baseDomain: string;
  redisUrl?: string;
  /** Every Redis key lives under `{cachePrefix}:` (default "desibazaar"). */
  cachePrefix?: string;
  /** Search: MEILI_URL (or the bundled server's), its master key and the index prefix; the key and prefix default to the environment's. */
  meiliUrl?: string;
  meiliMasterKey?: string;
  meiliIndexPrefix?: string;
  /** TRUST_PROXY_HOPS: how many proxies in front of us may name the client in X-Forwarded-For. */
  trustProxyHops?: number;
  /** TRIAL_PLAN and MAX_BUSINESSES_PER_USER. */
  policy?: ProvisioningPolicy;
  /** File storage; default: STORAGE_DRIVER and friends from the environment (fileStorageConfigFromEnv). */
  files?: FileStorageConfig;
}

/**
 * STORAGE_DRIVER=fs: STORAGE_PATH (default DATA_DIR/storage). s3: the S3_* variables
 * (env.ts refuses to start without them). The link-signing key is FILE_SIGNING_SECRET,
 * else one generated once in DATA_DIR (read on first use).
 */
export function fileStorageConfigFromEnv(): FileStorageConfig {
  const signingSecret = () => env.FILE_SIGNING_SECRET ?? persistedSecret(env.DATA_DIR, "file-signing-secret");
  if (env.STORAGE_DRIVER === "s3") {
    return {
      blobs: {
        driver: "s3",
        bucket: env.S3_BUCKET!,
        region: env.S3_REGION,
        endpoint: env.S3_ENDPOINT!,
        accessKeyId: env.S3_ACCESS_KEY_ID!,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
      },
      signingSecret,
    };
  }
  return { blobs: { driver: "fs", path: env.STORAGE_PATH ?? join(resolve(env.DATA_DIR), "storage") }, signingSecret };
}

export interface OwnedDeps extends AppDeps {
  /** The raw pools, for tests and benchmarks that check what the scopes leave on a connection. */
  pools: Pools;
  /** Queues jobs in the caller's transaction (`scope.jobs`); a worker runs them (src/jobs/worker.ts). */
  jobs: JobSender;
  /** Search (`scope.search`); start-up calls setup() so the indexes are ready before the first request. */
  search: SearchService;
  close(): Promise<void>;
}

export function createDeps(config: DepsConfig): OwnedDeps {
  const pools = createPools(config.roleUrls, config.pool);
  const roles = Object.fromEntries(ROLE_KINDS.map((kind) => [kind, roleOf(config.roleUrls[kind])])) as RoleNames;
  const cache = createCache({ redisUrl: config.redisUrl, prefix: config.cachePrefix ?? "desibazaar" });
  const files = createFileStorage(config.files ?? fileStorageConfigFromEnv());
  // The sender only reads the queue list (and pg-boss's version) on its own connection: the tenant role will do.
  const jobs = createJobSender(config.roleUrls.app);
  const search = createSearch({
    url: config.meiliUrl,
    masterKey: config.meiliMasterKey ?? env.MEILI_MASTER_KEY,
    indexPrefix: config.meiliIndexPrefix ?? env.MEILI_INDEX_PREFIX,
    publicUrl: env.MEILI_PUBLIC_URL ?? config.meiliUrl,
  });
  const scopes = createScopes(pools, { contexts: createContextStatements({ key: config.contextKey, roles }), files, cache, jobs, search });
  return {
    pools,
    scopes,
    files,
    jobs,
    search,
    tokens: createTokenIssuer(config.tokens),
    baseDomain: config.baseDomain,
    trustProxyHops: config.trustProxyHops ?? 0,
    policy: config.policy ?? DEFAULT_PROVISIONING_POLICY,
    cache,
    admission: { cache, limiter: createRateLimiter(cache.store), policies: createRatePolicies(cache, scopes) },
    checks: {
      cache: () => cache.probe(),
      search: () => search.healthy(),
    },
    async close() {
      await jobs.close();
      await closePools(pools);
      await cache.close();
      await files.dispose();
    },
  };
}
