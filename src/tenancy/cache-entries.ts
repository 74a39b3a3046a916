/**
 * Reading and writing entries of one space (a tenant, a customer, or the
 * platform namespace). Values go through superjson, so dates and bigints come
 * back as they went in, and every caller gets its own copy. Each entry carries
 * its expiry as well as a Redis TTL: the memory driver has no TTLs of its own.
 *
 * Single flight: concurrent misses of one key in one process share one compute.
 * When the store is unusable, reads compute directly (counted as bypassed).
 */
import superjson from "superjson";
import { checkResource, customerEntryKey, escapeIdentifier, platformEntryKey, tenantEntryKey, type Identifier } from "./cache-keys.ts";
import type { CacheStats } from "./cache-stats.ts";
import type { CacheStore } from "./cache-store.ts";

export type Space = { kind: "tenant"; tenantId: number } | { kind: "customer"; userId: number } | { kind: "platform" };

export interface BoundCache {
  /** The cached value, or compute's (cached for `ttlSeconds`). A compute that returns undefined is not cached. */
  getOrCompute<T>(resource: string, id: Identifier, compute: () => Promise<T>, ttlSeconds: number): Promise<T>;
  set<T>(resource: string, id: Identifier, value: T, ttlSeconds: number): Promise<void>;
  /** One entry, or (no id) every entry of the resource in this space. */
  invalidate(resource: string, id?: Identifier): Promise<void>;
}

type Packed = ReturnType<typeof superjson.serialize>;
interface Envelope {
  /** Expires at (ms since the epoch). */
  x: number;
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

const isFresh = (value: unknown): value is Envelope =>
  typeof value === "object" && value !== null && typeof (value as Envelope).x === "number" && (value as Envelope).x > Date.now() && "v" in value;

/**
 * Each entry lives a random 80-100 % of its TTL, never longer. Entries written
 * together (a warm-up, a deploy, a burst of new tenants) would otherwise expire
 * together and all be recomputed at once: with a plan entry per business, that
 * was every busy business's plan looked up on the platform pool within a second,
 * once a minute, and the tenant requests waiting behind those lookups.
 */
const TTL_SPREAD = 0.2;
const spreadTtl = (ttlSeconds: number) => Math.max(1, Math.round(ttlSeconds * (1 - TTL_SPREAD * Math.random())));

function checkTtl(ttlSeconds: number): number {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new TypeError("A cache TTL is a positive whole number of seconds (see TTL)");
  return ttlSeconds;
}

export function createEntries(deps: EntryDeps) {
  const { store, stats } = deps;
  const flights = new Map<string, Promise<Packed | undefined>>();
  const tenantOf = (space: Space) => (space.kind === "tenant" ? space.tenantId : null);

  /** Validates before any I/O: a bad resource or identifier is a bug to surface, not a reason to bypass. */
  async function keyOf(space: Space, resource: string, id: Identifier): Promise<string> {
    checkResource(resource);
    escapeIdentifier(id);
    if (space.kind === "tenant") return tenantEntryKey(space.tenantId, await deps.generation(space.tenantId), resource, id);
    return space.kind === "customer" ? customerEntryKey(space.userId, resource, id) : platformEntryKey(resource, id);
  }

  async function prefixOf(space: Space, resource: string): Promise<string> {
    const key = await keyOf(space, resource, "x");
    return key.slice(0, -1);
  }

  async function write(key: string, packed: Packed, ttlSeconds: number): Promise<void> {
    const ttl = spreadTtl(ttlSeconds);
    const envelope: Envelope = { x: Date.now() + ttl * 1000, v: packed };
    await store.storage.setItem(key, envelope, { ttl }).catch((error: unknown) => store.failed(error));
  }

  async function load<T>(key: string, tenantId: number | null, compute: () => Promise<T>, ttlSeconds: number): Promise<Packed | undefined> {
    let cached: unknown;
    try {
      cached = await store.storage.getItem(key);
    } catch (error) {
      store.failed(error);
      stats.record(tenantId, "bypassed");
      const value = await compute();
      return value === undefined ? undefined : superjson.serialize(value);
    }
    if (isFresh(cached)) {
      stats.record(tenantId, "hits");
      return cached.v;
    }
    stats.record(tenantId, "misses");
    const value = await compute();
    if (value === undefined) return undefined;
    const packed = superjson.serialize(value);
    await write(key, packed, ttlSeconds);
    return packed;
  }

  async function getOrCompute<T>(space: Space, resource: string, id: Identifier, compute: () => Promise<T>, ttlSeconds: number): Promise<T> {
    checkTtl(ttlSeconds);
    const tenantId = tenantOf(space);
    let key: string | undefined;
    if (store.isUp()) {
      const pending = keyOf(space, resource, id);
      key = await pending.catch((error: unknown) => {
        if (error instanceof TypeError) throw error;
        store.failed(error);
        return undefined;
      });
    } else {
      checkResource(resource);
      escapeIdentifier(id);
    }
    if (key === undefined) {
      stats.record(tenantId, "bypassed");
      return compute();
    }
    let flight = flights.get(key);
    if (flight) stats.record(tenantId, "hits");
    else {
      flight = load(key, tenantId, compute, ttlSeconds);
      flights.set(key, flight);
      const done = () => flights.delete(key);
      flight.then(done, done);
    }
    const packed = await flight;
    return (packed === undefined ? undefined : superjson.deserialize(packed)) as T;
  }

  async function set<T>(space: Space, resource: string, id: Identifier, value: T, ttlSeconds: number): Promise<void> {
    checkTtl(ttlSeconds);
    if (value === undefined || !store.isUp()) return;
    const key = await keyOf(space, resource, id).catch((error: unknown) => {
      if (error instanceof TypeError) throw error;
      store.failed(error);
      return undefined;
    });
    if (key !== undefined) await write(key, superjson.serialize(value), ttlSeconds);
  }

  async function invalidate(space: Space, resource: string, id?: Identifier): Promise<void> {
    checkResource(resource);
    if (id !== undefined) escapeIdentifier(id);
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
    bind(space: Space): BoundCache {
      return {
        getOrCompute: (resource, id, compute, ttl) => getOrCompute(space, resource, id, compute, ttl),
        set: (resource, id, value, ttl) => set(space, resource, id, value, ttl),
        invalidate: (resource, id) => invalidate(space, resource, id),
      };
    },
  };
}
