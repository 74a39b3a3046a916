/**
 * Token buckets for the request rate. A bucket holds one minute's allowance
 * (its burst) and refills continuously at perMinute/60 per second; a request
 * takes one token from every bucket it names (the business's and the user's),
 * or from none when any of them is empty.
 *
 * With Redis the buckets are global: one Lua script per check reads, refills and
 * takes from both buckets atomically, on Redis's clock, so every API process
 * shares them. Without Redis, or while it is unreachable, each process keeps
 * its own buckets in memory (a business may then get its allowance once per process).
 */
import { RATE_LIMIT_SCRIPT } from "./rate-limit-script.ts";
import type { CacheStore } from "./cache-store.ts";

export interface BucketSpec {
  /** A key from cache-keys.ts (relative to the store's prefix). */
  key: string;
  perMinute: number;
}

export interface BucketState {
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the next whole token. */
  nextTokenSeconds: number;
}

export interface TakeResult {
  allowed: boolean;
  /** When refused: seconds until every bucket has a token again (at least 1). */
  retryAfterSeconds: number;
  buckets: BucketState[];
  store: "redis" | "memory";
}

export interface RateLimiter {
  take(buckets: BucketSpec[]): Promise<TakeResult>;
}

const MINUTE_MS = 60_000;
const toSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Per-process buckets; also what the Redis limiter falls back to. */
export function createMemoryBuckets(now: () => number = Date.now, maxKeys = 200_000) {
  const buckets = new Map<string, { tokens: number; at: number; perMinute: number }>();
  const level = (b: { tokens: number; at: number }, perMinute: number, at: number) =>
    Math.min(perMinute, b.tokens + (Math.max(0, at - b.at) * perMinute) / MINUTE_MS);

  return {
    take(specs: BucketSpec[]): TakeResult {
      const at = now();
      // A bucket that has refilled completely is the same as no bucket: forget those when the map is full.
      if (buckets.size >= maxKeys) for (const [key, b] of buckets) if (level(b, b.perMinute, at) >= b.perMinute) buckets.delete(key);
      const levels = specs.map(({ key, perMinute }) => {
        const b = buckets.get(key);
        return b ? level(b, perMinute, at) : perMinute;
      });
      let waitMs = 0;
      specs.forEach(({ perMinute }, i) => {
        if (levels[i]! < 1) waitMs = Math.max(waitMs, ((1 - levels[i]!) * MINUTE_MS) / perMinute);
      });
      const allowed = waitMs === 0;
      const states = specs.map(({ key, perMinute }, i) => {
        const tokens = levels[i]! - (allowed ? 1 : 0);
        buckets.set(key, { tokens, at, perMinute });
        const fraction = tokens - Math.floor(tokens);
        return { remaining: Math.max(0, Math.floor(tokens)), nextTokenSeconds: toSeconds(((1 - fraction) * MINUTE_MS) / perMinute) };
      });
      return { allowed, retryAfterSeconds: allowed ? 0 : toSeconds(waitMs), buckets: states, store: "memory" };
    },
    reset: () => buckets.clear(),
  };
}

/** Redis when it is usable, this process's memory otherwise. */
export function createRateLimiter(store: CacheStore): RateLimiter {
  const memory = createMemoryBuckets();
  const redis = store.redis;
  if (redis) redis.defineCommand("takeTokens", { lua: RATE_LIMIT_SCRIPT });
  const run = redis as unknown as { takeTokens(count: number, ...args: (string | number)[]): Promise<number[]> } | null;

  return {
    async take(specs) {
      if (specs.some((s) => !(s.perMinute >= 1) || !Number.isSafeInteger(s.perMinute))) throw new TypeError("A rate limit is a whole number of requests a minute, at least 1");
      if (!run || !store.isUp()) return memory.take(specs);
      try {
        const keys = specs.map((s) => `${store.prefix}:${s.key}`);
        const reply = await run.takeTokens(keys.length, ...keys, ...specs.map((s) => s.perMinute));
        const [allowed, waitMs, ...rest] = reply.map(Number);
        const buckets = specs.map((_, i) => ({ remaining: Math.max(0, rest[2 * i]!), nextTokenSeconds: toSeconds(rest[2 * i + 1]!) }));
        return { allowed: allowed === 1, retryAfterSeconds: allowed === 1 ? 0 : toSeconds(waitMs!), buckets, store: "redis" };
      } catch (error) {
        store.failed(error);
        return memory.take(specs);
      }
    },
  };
}
