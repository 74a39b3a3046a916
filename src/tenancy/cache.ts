/**
 * The cache: Redis when REDIS_URL is set, memory otherwise (cache-store.ts),
 * reached only through handles bound to one tenant, one customer or the named
 * platform namespace. Nothing here reads or writes a key without an owner.
 *
 * flushTenant is O(1): it gives the tenant a new generation, which is part of
 * every key of its entries (cache-keys.ts), so no old entry is readable once it
 * returns. The old entries are then removed in the background. Each process
 * remembers generations for a few seconds; a flush tells the others through
 * pub/sub to forget theirs (cache-events.ts).
 *
 * While Redis is unreachable reads bypass the cache; invalidations that could
 * not be sent are replayed when it returns (a tenant's as a whole flush, since
 * its generation could not be read either).
 */
import { logger } from "../lib/logger.ts";
import { INITIAL_GENERATION, checkOwnerId, generationKey, newGeneration, platformEntryKey } from "./cache-keys.ts";
import { createEntries, isGone, type BoundCache, type Space } from "./cache-entries.ts";
import { createCacheEvents, type CacheEvent } from "./cache-events.ts";
import { removeKeys, removeTenantKeys } from "./cache-removal.ts";
import { CacheStats } from "./cache-stats.ts";
import { createCacheStore, type CacheStore, type CacheStoreConfig } from "./cache-store.ts";

export { TTL } from "./cache-keys.ts";
export type { BoundCache } from "./cache-entries.ts";

export interface CacheService {
  readonly driver: "redis" | "memory";
  readonly store: CacheStore;
  readonly stats: CacheStats;
  forTenant(tenantId: number): BoundCache;
  forCustomer(userId: number): BoundCache;
  readonly platform: BoundCache;
  /** No entry of the tenant is readable once this resolves; `removed` settles when the old ones are gone. */
  flushTenant(tenantId: number): Promise<{ removed: Promise<number> }>;
  /** Removes every key of the tenant (entries, counters, rate buckets) and the entries naming it by `refs`. */
  purgeTenant(tenantId: number, refs: readonly string[]): Promise<number>;
  /** Called with tenant refs that must be forgotten (a purge, here or in another process). */
  onForgetRefs(listener: (refs: string[]) => void): void;
  /** For /health: can the store be used right now? */
  probe(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long a process trusts a generation it read without asking Redis again. */
const GENERATION_MEMO_MS = 10_000;
const TICK_MS = 5_000;
const MAX_DEFERRED = 10_000;

/** The tenant-ref entries (tenantKey/slug → business id) live in the platform namespace under this resource. */
export const TENANT_REF_RESOURCE = "tenant-ref";

export function createCache(config: CacheStoreConfig): CacheService {
  const store = createCacheStore(config);
  const stats = new CacheStats();
  const generations = new Map<number, { value: string; at: number }>();
  const pendingFlushes = new Set<number>();
  const pendingPurges = new Map<number, readonly string[]>();
  const pendingRetries: (() => Promise<void>)[] = [];
  const refListeners: ((refs: string[]) => void)[] = [];

  const onEvent = (event: CacheEvent) => {
    if (event.type === "flushed") generations.delete(event.tenantId);
    else for (const listener of refListeners) listener(event.refs);
  };
  const events = createCacheEvents(store, onEvent, () => generations.clear());

  const generationReads = new Map<number, Promise<string>>();

  /** The tenant's generation: remembered, else read once however many requests ask at the same moment. */
  function generation(tenantId: number): Promise<string> {
    const memo = generations.get(tenantId);
    if (memo && Date.now() - memo.at < GENERATION_MEMO_MS) return Promise.resolve(memo.value);
    let reading = generationReads.get(tenantId);
    if (!reading) {
      reading = readGeneration(tenantId);
      generationReads.set(tenantId, reading);
      const done = () => generationReads.delete(tenantId);
      reading.then(done, done);
    }
    return reading;
  }

  async function readGeneration(tenantId: number): Promise<string> {
    const startedAt = Date.now();
    const stored = await store.storage.getItem(generationKey(tenantId));
    const value = typeof stored === "string" && stored ? stored : INITIAL_GENERATION;
    // A flush in this process while we were reading has set a newer one: keep it.
    if ((generations.get(tenantId)?.at ?? 0) <= startedAt) {
      if (generations.size >= 100_000) generations.clear();
      generations.set(tenantId, { value, at: startedAt });
    }
    return value;
  }

  const entries = createEntries({
    store,
    stats,
    generation,
    deferInvalidation(space: Space, retry) {
      if (space.kind === "tenant") pendingFlushes.add(space.tenantId);
      else if (pendingRetries.length < MAX_DEFERRED) pendingRetries.push(retry);
    },
    removePrefix: (prefix) => removeKeys(store, prefix),
  });

  async function flushTenant(tenantId: number): Promise<{ removed: Promise<number> }> {
    checkOwnerId(tenantId, "tenant");
    const value = newGeneration();
    entries.overtakeComputes();
    generations.set(tenantId, { value, at: Date.now() });
    try {
      if (!store.isUp()) throw new Error("store unavailable");
      await store.storage.setItem(generationKey(tenantId), value);
    } catch (error) {
      store.failed(error);
      pendingFlushes.add(tenantId);
      return { removed: Promise.resolve(0) };
    }
    await events.publish({ type: "flushed", tenantId });
    const removed = removeTenantKeys(store, tenantId, value).catch((error: unknown) => {
      store.failed(error);
      return 0;
    });
    return { removed };
  }

  async function replayDeferred(): Promise<void> {
    if (!store.isUp()) return;
    for (const tenantId of [...pendingFlushes]) {
      pendingFlushes.delete(tenantId);
      await flushTenant(tenantId);
    }
    for (const [tenantId, refs] of [...pendingPurges]) {
      pendingPurges.delete(tenantId);
      await purgeTenant(tenantId, refs);
    }
    for (const retry of pendingRetries.splice(0)) await retry().catch((error: unknown) => store.failed(error));
  }

  async function purgeTenant(tenantId: number, refs: readonly string[]): Promise<number> {
    await flushTenant(tenantId);
    const forgotten = refs.map((ref) => ref.toLowerCase());
    stats.forget(tenantId);
    generations.delete(tenantId);
    onEvent({ type: "forget-refs", refs: forgotten });
    try {
      if (!store.isUp()) throw new Error("store unavailable");
      const removed = await removeTenantKeys(store, tenantId);
      for (const ref of forgotten) await store.storage.removeItem(platformEntryKey(TENANT_REF_RESOURCE, ref));
      await events.publish({ type: "forget-refs", refs: forgotten });
      return removed;
    } catch (error) {
      store.failed(error);
      pendingPurges.set(tenantId, forgotten);
      return 0;
    }
  }

  store.onRecovered(() => {
    generations.clear();
    void replayDeferred();
  });

  let lastSweep = Date.now();
  const tick = setInterval(() => {
    void stats.push(store);
    void replayDeferred();
    if (!store.redis && Date.now() - lastSweep > 60_000) {
      lastSweep = Date.now();
      void sweepExpired(store);
    }
  }, TICK_MS);
  tick.unref();

  return {
    driver: store.driver,
    store,
    stats,
    forTenant: (tenantId) => entries.bind({ kind: "tenant", tenantId: checkOwnerId(tenantId, "tenant") }),
    forCustomer: (userId) => entries.bind({ kind: "customer", userId: checkOwnerId(userId, "customer") }),
    platform: entries.bind({ kind: "platform" }),
    flushTenant,
    purgeTenant,
    onForgetRefs: (listener) => void refListeners.push(listener),
    async probe() {
      if (!store.redis) return true;
      if (!store.isUp()) return false;
      return (await store.redis.ping().catch(() => null)) === "PONG";
    },
    async close() {
      clearInterval(tick);
      await stats.push(store).catch(() => {});
      await events.close();
      await store.close();
    },
  };
}

/** The memory driver keeps entries until removed: drop the expired ones now and then. */
async function sweepExpired(store: CacheStore): Promise<void> {
  try {
    for (const key of await store.storage.getKeys()) {
      const value = await store.storage.getItem(key);
      if (isGone(value)) await store.storage.removeItem(key);
    }
  } catch (error) {
    logger.debug({ err: error }, "cache: sweeping expired entries failed");
  }
}
