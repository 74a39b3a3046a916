/**
 * Physical removal of keys by prefix. unstorage's prefix `clear()` silently
 * deletes nothing on a single root driver (unjs/unstorage#336), so this walks the
 * keys itself: SCAN + UNLINK on Redis (non-blocking, in batches), the key list on
 * memory. Returns how many keys it removed.
 */
import { generationOf, tenantPrefix } from "./cache-keys.ts";
import type { CacheStore } from "./cache-store.ts";

/** Keys under `relativePrefix` (which ends with `:`) for which `remove` says yes. */
export async function removeKeys(store: CacheStore, relativePrefix: string, remove: (relativeKey: string) => boolean = () => true): Promise<number> {
  let removed = 0;
  if (!store.redis) {
    for (const key of await store.storage.getKeys(relativePrefix)) {
      if (!key.startsWith(relativePrefix) || !remove(key)) continue;
      await store.storage.removeItem(key);
      removed++;
    }
    return removed;
  }
  const base = `${store.prefix}:`;
  // The prefix is checked to hold no glob characters; identifiers are escaped (cache-keys.ts).
  const stream = store.redis.scanStream({ match: `${base}${relativePrefix}*`, count: 1_000 });
  for await (const batch of stream) {
    const doomed = (batch as string[]).filter((key) => remove(key.slice(base.length)));
    if (doomed.length) removed += await store.redis.unlink(...doomed);
  }
  return removed;
}

/**
 * A tenant's keys. `keepGeneration` set (a flush): only entries of other
 * generations go, while the current generation, the `~` keys (generation,
 * counters, rate buckets) stay. Unset (a purge): everything of the tenant goes.
 */
export function removeTenantKeys(store: CacheStore, tenantId: number, keepGeneration?: string): Promise<number> {
  if (keepGeneration === undefined) return removeKeys(store, tenantPrefix(tenantId));
  return removeKeys(store, tenantPrefix(tenantId), (key) => {
    const generation = generationOf(key);
    return generation !== undefined && !generation.startsWith("~") && generation !== keepGeneration;
  });
}
