/**
 * The cache store: Redis when REDIS_URL is set, memory otherwise. Keys are built
 * only by tenancy code (see tenantCacheKey) so one tenant's entries can never be
 * addressed from another's.
 */
import { createStorage, type Storage } from "unstorage";
import memoryDriver from "unstorage/drivers/memory";
import redisDriver from "unstorage/drivers/redis";

export function createCacheStorage(redisUrl?: string): Storage {
  return createStorage({ driver: redisUrl ? redisDriver({ url: redisUrl, base: "desibazaar" }) : memoryDriver() });
}

export async function cacheIsUp(storage: Storage): Promise<boolean> {
  const probe = `health:${crypto.randomUUID()}`;
  await storage.setItem(probe, "1");
  const ok = (await storage.getItem(probe)) === 1 || (await storage.getItem(probe)) === "1";
  await storage.removeItem(probe);
  return ok;
}
