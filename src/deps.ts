/** Builds the app's dependencies from running services; the caller owns their lifetime. */
import { join, resolve } from "node:path";
import type { Storage } from "unstorage";
import { closePools, createPools, type PoolOptions } from "./db/client.ts";
import type { RoleUrls } from "./db/roles.ts";
import { env } from "./env.ts";
import { persistedSecret } from "./infra/services.ts";
import { createTokenIssuer, type TokenConfig } from "./lib/tokens.ts";
import { cacheIsUp, createCacheStorage } from "./tenancy/cache.ts";
import { createFileStorage, type FileStorageConfig } from "./tenancy/files.ts";
import { createScopes } from "./tenancy/scopes.ts";
import type { AppDeps } from "./trpc/context.ts";

export interface DepsConfig {
  roleUrls: RoleUrls;
  pool?: PoolOptions;
  tokens: TokenConfig;
  baseDomain: string;
  redisUrl?: string;
  meiliUrl?: string;
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
  cache: Storage;
  close(): Promise<void>;
}

export function createDeps(config: DepsConfig): OwnedDeps {
  const pools = createPools(config.roleUrls, config.pool);
  const cache = createCacheStorage(config.redisUrl);
  const files = createFileStorage(config.files ?? fileStorageConfigFromEnv());
  return {
    pools,
    scopes: createScopes(pools, files),
    files,
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
      await files.dispose();
    },
  };
}
