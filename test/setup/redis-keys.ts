/**
 * Tests and benchmarks share this machine's Redis with everyone: each run works
 * under its own key prefix and removes exactly that prefix afterwards (never
 * FLUSHDB). Also counts the keys left under a prefix.
 */
import Redis from "ioredis";

async function scanPrefix(redis: Redis, prefix: string, each: (keys: string[]) => Promise<unknown>): Promise<void> {
  if (!/^[A-Za-z0-9_.:-]+$/.test(prefix)) throw new Error(`refusing an unusual key prefix: ${prefix}`);
  for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 1_000 })) {
    if ((batch as string[]).length) await each(batch as string[]);
  }
}

/** Removes every key under `{prefix}:`; returns how many. */
export async function removeKeysUnder(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    await redis.connect();
    await scanPrefix(redis, prefix, async (keys) => (removed += await redis.unlink(...keys)));
  } finally {
    redis.disconnect();
  }
  return removed;
}

/** Every key under `{prefix}:`. */
export async function keysUnder(redisUrl: string, prefix: string): Promise<string[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const found: string[] = [];
  try {
    await redis.connect();
    await scanPrefix(redis, prefix, async (keys) => found.push(...keys));
  } finally {
    redis.disconnect();
  }
  return found;
}
