/**
 * The store under the cache and the rate limiter: unstorage's redis driver when
 * REDIS_URL is set, its memory driver otherwise, and whether it can be used now.
 *
 * Redis may go away at any time. Commands then fail at once instead of queueing
 * (enableOfflineQueue: false), callers fall back (the cache computes, the limiter
 * counts in memory), and ioredis keeps reconnecting on its own. Each outage is
 * logged once when it starts and once when it ends. The connection string is
 * never logged: it may carry a password.
 */
import type Redis from "ioredis";
import { createStorage, type Storage } from "unstorage";
import memoryDriver from "unstorage/drivers/memory";
import redisDriver from "unstorage/drivers/redis";
import { logger } from "../lib/logger.ts";

export interface CacheStoreConfig {
  redisUrl?: string;
  /** Every key and the event channel live under `{prefix}:`, so deployments (and test runs) can share one Redis. */
  prefix: string;
}

export interface CacheStore {
  readonly driver: "redis" | "memory";
  readonly prefix: string;
  /** unstorage, keys relative to the prefix. */
  readonly storage: Storage;
  /** The ioredis client unstorage itself uses (scripts, SCAN, pub/sub); null on memory. */
  readonly redis: Redis | null;
  /** False while Redis is unreachable, and for a moment after a command failed. */
  isUp(): boolean;
  /** A command failed: stop using Redis for a moment (a hung server would otherwise cost every request a timeout). */
  failed(error: unknown): void;
  /** Called each time Redis becomes usable again after an outage. */
  onRecovered(listener: () => void): void;
  /** Resolves once Redis answers (at once on memory); rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const PREFIX = /^[A-Za-z0-9_.:-]{1,100}$/;
/** After a failed command, Redis is left alone this long before the next try. */
const BACKOFF_MS = 1_000;

export function createCacheStore(config: CacheStoreConfig): CacheStore {
  if (!PREFIX.test(config.prefix)) throw new TypeError("The cache prefix may hold only letters, digits and _ . : -");
  if (!config.redisUrl) {
    return {
      driver: "memory",
      prefix: config.prefix,
      storage: createStorage({ driver: memoryDriver() }),
      redis: null,
      isUp: () => true,
      failed: () => {},
      onRecovered: () => {},
      ready: async () => {},
      close: async () => {},
    };
  }

  const driver = redisDriver({
    url: config.redisUrl,
    base: config.prefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Generous: under load a timer can fire late although the reply has arrived.
    commandTimeout: 2_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 1_000),
    connectionName: "desibazaar-cache",
  });
  const storage = createStorage({ driver });
  const redis = driver.getInstance!() as Redis;
  let down = false;
  let closing = false;
  let backoffUntil = 0;
  const recovered: (() => void)[] = [];

  const wentDown = (reason: string) => {
    if (down || closing) return;
    down = true;
    logger.warn({ reason }, "cache: Redis is unreachable; serving without the cache, rate limits counted per process until it returns");
  };
  redis.on("error", (error: Error & { code?: string }) => wentDown(error.code ?? error.name));
  redis.on("close", () => wentDown("connection closed"));
  redis.on("ready", () => {
    backoffUntil = 0;
    if (!down) return;
    down = false;
    logger.info("cache: Redis is reachable again; cache and global rate limits resumed");
    for (const listener of recovered) listener();
  });

  return {
    driver: "redis",
    prefix: config.prefix,
    storage,
    redis,
    isUp: () => redis.status === "ready" && Date.now() >= backoffUntil,
    failed(error) {
      backoffUntil = Date.now() + BACKOFF_MS;
      logger.debug({ reason: (error as { code?: string })?.code ?? (error as Error)?.message }, "cache: a Redis command failed");
    },
    onRecovered: (listener) => void recovered.push(listener),
    async ready(timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (redis.status !== "ready") {
        if (Date.now() > until) throw new Error("Redis did not become ready in time");
        await Bun.sleep(20);
      }
    },
    async close() {
      closing = true;
      recovered.length = 0;
      await storage.dispose();
    },
  };
}
