/**
 * Reading and writing entries of one space (a tenant, a customer, or the
 * platform namespace). Values go through superjson, so dates and bigints come
 * back as they went in, and every caller gets its own copy. Each entry carries
 * its expiry as well as a Redis TTL: the memory driver has no TTLs of its own.
 *
 * Single flight: concurrent misses of one key in one process share one compute.
 * When the store is unusable, reads compute directly (counted as bypassed).
 *
 * Stale while revalidate (opt-in, `staleForSeconds`): an entry past its TTL but
 * within that grace is still answered, at once, and one background compute per
 * key and process replaces it. The stale copy lives in the store itself, so an
 * invalidation or a flush drops it like any entry, in every process.
 *
 * A compute that started before an invalidation, a flush or a purge in this
 * process does not write its value: it may have read what that was for.
 */
import superjson from "superjson";
import { logger } from "../lib/logger.ts";
import { checkResource, customerEntryKey, escapeIdentifier, platformEntryKey, tenantEntryKey, type Identifier } from "./cache-keys.ts";
import type { CacheStats } from "./cache-stats.ts";
import type { CacheStore } from "./cache-store.ts";

export type Space = { kind: "tenant"; tenantId: number } | { kind: "customer"; userId: number } | { kind: "platform" };

export interface Freshness {
  /** After its TTL, the entry is still answered for this long while one background compute replaces it. */
  staleForSeconds?: number;
}

export interface BoundCache {
  /** The cached value, or compute's (cached for `ttlSeconds`). A compute that returns undefined is not cached. */
  getOrCompute<T>(resource: string, id: Identifier, compute: () => Promise<T>, ttlSeconds: number, freshness?: Freshness): Promise<T>;
  set<T>(resource: string, id: Identifier, value: T, ttlSeconds: number, freshness?: Freshness): Promise<void>;
  /** One entry, or (no id) every entry of the resource in this space. */
  invalidate(resource: string, id?: Identifier): Promise<void>;
}

type Packed = ReturnType<typeof superjson.serialize>;
interface Envelope {
  /** Expires at (ms since the epoch). */
  x: number;
  /** With a stale grace: answered (while being replaced) until then. */
  s?: number;
  v: Packed;
}

export interface EntryDeps {
  store: CacheStore;
  stats: CacheStats;
  generation(tenantId: number): Promise<string>;
  /** An invalidation that could not reach the store, to replay once it can. */
  deferInvalidation(space: Space, retry: () => Promise<void>): void;
  removePrefix(prefix: string): Promise<number>;
}

const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === "object" && value !== null && typeof (value as Envelope).x === "number" && "v" in value;

/** How a stored value may answer a read now. */
function readable(value: unknown): "fresh" | "stale" | "gone" {
  if (!isEnvelope(value)) return "gone";
  const now = Date.now();
  if (value.x > now) return "fresh";
  return (value.s ?? 0) > now ? "stale" : "gone";
}

/** For the memory driver's sweep: an entry no read can use any more. */
export const isGone = (value: unknown) => isEnvelope(value) && readable(value) === "gone";

/**
 * Each entry lives a random 80-100 % of its TTL, never longer. Entries written
 * together (a warm-up, a deploy, a burst of new tenants) would otherwise expire
 * together and all be recomputed at once: with a plan entry per business, that
 * was every busy business's plan looked up on the platform pool within a second,
 * once a minute, and the tenant requests waiting behind those lookups.
 */
const TTL_SPREAD = 0.2;
const spreadTtl = (ttlSeconds: number) => Math.max(1, Math.round(ttlSeconds * (1 - TTL_SPREAD * Math.random())));

function checkTtl(ttlSeconds: number, freshness?: Freshness): number {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new TypeError("A cache TTL is a positive whole number of seconds (see TTL)");
  const stale = freshness?.staleForSeconds;
  if (stale !== undefined && (!Number.isSafeInteger(stale) || stale < 0)) throw new TypeError("A stale grace is a whole number of seconds, 0 or more");
  return ttlSeconds;
}

export function createEntries(deps: EntryDeps) {
  const { store, stats } = deps;
  const flights = new Map<string, Promise<Packed | undefined>>();
  const refreshing = new Set<string>();
  /** Bumped by every invalidation, flush and purge in this process; a compute that saw it change does not write. */
  let invalidations = 0;
  const overtakeComputes = () => void invalidations++;
  const tenantOf = (space: Space) => (space.kind === "tenant" ? space.tenantId : null);

  /** Validates before any I/O: a bad resource or identifier is a bug to surface, not a reason to bypass. */
  async function keyOf(space: Space, resource: string, id: Identifier): Promise<string> {
    checkResource(resource);
    escapeIdentifier(id);
    if (space.kind === "tenant") return tenantEntryKey(space.tenantId, await deps.generation(space.tenantId), resource, id);
    return space.kind === "customer" ? customerEntryKey(space.userId, resource, id) : platformEntryKey(resource, id);
  }

  /**
   * The entry's key, or undefined when the store cannot give one now (Redis is
   * down, or the generation could not be read: the caller bypasses the cache).
   */
  async function usableKey(space: Space, resource: string, id: Identifier): Promise<string | undefined> {
    if (!store.isUp()) {
      checkResource(resource);
      escapeIdentifier(id);
      return undefined;
    }
    return keyOf(space, resource, id).catch((error: unknown) => {
      if (error instanceof TypeError) throw error;
      store.failed(error);
      return undefined;
    });
  }

  async function prefixOf(space: Space, resource: string): Promise<string> {
    const key = await keyOf(space, resource, "x");
    return key.slice(0, -1);
  }

  async function write(key: string, packed: Packed, ttlSeconds: number, freshness?: Freshness): Promise<void> {
    const ttl = spreadTtl(ttlSeconds);
    const stale = freshness?.staleForSeconds ?? 0;
    const envelope: Envelope = { x: Date.now() + ttl * 1000, v: packed };
    if (stale > 0) envelope.s = envelope.x + stale * 1000;
    await store.storage.setItem(key, envelope, { ttl: ttl + stale }).catch((error: unknown) => store.failed(error));
  }

  /** Computes and stores, unless an invalidation in this process came meanwhile. */
  async function computeAndWrite<T>(key: string, compute: () => Promise<T>, ttlSeconds: number, freshness?: Freshness): Promise<Packed | undefined> {
    const seen = invalidations;
    const value = await compute();
    if (value === undefined) return undefined;
    const packed = superjson.serialize(value);
    if (seen === invalidations) await write(key, packed, ttlSeconds, freshness);
    return packed;
  }

  /** One background compute per stale key: on failure the stale entry stays, and the next read tries again. */
  function refresh<T>(key: string, compute: () => Promise<T>, ttlSeconds: number, freshness: Freshness | undefined): void {
    if (refreshing.has(key)) return;
    refreshing.add(key);
    computeAndWrite(key, compute, ttlSeconds, freshness)
      .catch((error: unknown) => logger.warn({ err: error }, "cache: replacing a stale entry failed; it is served until its grace ends"))
      .finally(() => refreshing.delete(key));
  }

  async function load<T>(key: string, tenantId: number | null, compute: () => Promise<T>, ttlSeconds: number, freshness?: Freshness): Promise<Packed | undefined> {
    let cached: unknown;
    try {
      cached = await store.storage.getItem(key);
    } catch (error) {
      store.failed(error);
      stats.record(tenantId, "bypassed");
      const value = await compute();
      return value === undefined ? undefined : superjson.serialize(value);
    }
    const state = readable(cached);
    if (state !== "gone") {
      stats.record(tenantId, "hits");
      if (state === "stale") refresh(key, compute, ttlSeconds, freshness);
      return (cached as Envelope).v;
    }
    stats.record(tenantId, "misses");
    return computeAndWrite(key, compute, ttlSeconds, freshness);
  }

  async function getOrCompute<T>(space: Space, resource: string, id: Identifier, compute: () => Promise<T>, ttlSeconds: number, freshness?: Freshness): Promise<T> {
    checkTtl(ttlSeconds, freshness);
    const tenantId = tenantOf(space);
    const key = await usableKey(space, resource, id);
    if (key === undefined) {
      stats.record(tenantId, "bypassed");
      return compute();
    }
    let flight = flights.get(key);
    if (flight) stats.record(tenantId, "hits");
    else {
      flight = load(key, tenantId, compute, ttlSeconds, freshness);
      flights.set(key, flight);
      const done = () => flights.delete(key);
      flight.then(done, done);
    }
    const packed = await flight;
    return (packed === undefined ? undefined : superjson.deserialize(packed)) as T;
  }

  async function set<T>(space: Space, resource: string, id: Identifier, value: T, ttlSeconds: number, freshness?: Freshness): Promise<void> {
    checkTtl(ttlSeconds, freshness);
    if (value === undefined) return;
    const key = await usableKey(space, resource, id);
    if (key !== undefined) await write(key, superjson.serialize(value), ttlSeconds, freshness);
  }

  async function invalidate(space: Space, resource: string, id?: Identifier): Promise<void> {
    checkResource(resource);
    if (id !== undefined) escapeIdentifier(id);
    overtakeComputes();
    const attempt = async () => {
      if (id === undefined) await deps.removePrefix(await prefixOf(space, resource));
      else await store.storage.removeItem(await keyOf(space, resource, id));
    };
    if (!store.isUp()) return deps.deferInvalidation(space, attempt);
    try {
      await attempt();
    } catch (error) {
      store.failed(error);
      deps.deferInvalidation(space, attempt);
    }
  }

  return {
    /** For a flush or purge: computes in flight in this process answer but do not write (they may have read what it was for). */
    overtakeComputes,
    bind(space: Space): BoundCache {
      return {
        getOrCompute: (resource, id, compute, ttl, freshness) => getOrCompute(space, resource, id, compute, ttl, freshness),
        set: (resource, id, value, ttl, freshness) => set(space, resource, id, value, ttl, freshness),
        invalidate: (resource, id) => invalidate(space, resource, id),
      };
    },
  };
}
