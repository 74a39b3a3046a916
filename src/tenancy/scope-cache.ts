/**
 * `scope.cache`: the cache handle a scope carries, already bound to the scope's
 * tenant (or customer, or, for super admins, the platform namespace). Services
 * never build keys.
 *
 * Why invalidations run twice: the one that counts runs once the scope's work
 * has finished (withScopeCache runs after the transaction's COMMIT), because
 * until COMMIT another request can still read the old rows and cache them again.
 * The one sent at once, inside the transaction, is not waited for (it holds no
 * connection or lock while Redis answers); it only narrows the window in which a
 * process that dies right after COMMIT leaves a stale entry until its TTL.
 * And once a scope has invalidated something, its own reads bypass the cache:
 * they may see rows it wrote and has not committed yet, which must not be
 * cached for others (the transaction may still roll back).
 */
import { logger } from "../lib/logger.ts";
import type { BoundCache, CacheService } from "./cache.ts";
import { checkResource, escapeIdentifier, type Identifier } from "./cache-keys.ts";
import type { TenantCounts } from "./cache-stats.ts";

export interface ScopeCache {
  /** The cached value, or compute's, kept for `ttlSeconds` (use TTL.SHORT/MEDIUM/LONG/DAY); undefined is never cached. */
  getOrCompute<T>(resource: string, id: Identifier, compute: () => Promise<T>, ttlSeconds: number): Promise<T>;
  /** Drops one entry, or every entry of `resource` (no id); repeated after commit. */
  invalidate(resource: string, id?: Identifier): Promise<void>;
}

/** A super admin's handle: the platform namespace, and operator powers over any tenant's cache. */
export interface AdminCache extends ScopeCache {
  tenant(tenantId: number): ScopeCache;
  /** Nothing of the tenant is readable from now on (and again after commit); old entries go in the background. */
  flushTenant(tenantId: number): Promise<void>;
  /** After commit: every key of the tenant is removed, and its tenantKey/slug entries; awaited before the scope returns. */
  purgeTenantAfterCommit(tenantId: number, refs: readonly string[]): void;
  /** Hits, misses and refusals per tenant, across every API process when on Redis. */
  stats(limit?: number): Promise<TenantCounts[]>;
}

export interface CacheBinder {
  tenant(tenantId: number): ScopeCache;
  customer(userId: number): ScopeCache;
  admin(): AdminCache;
}

type AfterCommit = (() => Promise<unknown>)[];

function scoped(bound: BoundCache, afterCommit: AfterCommit): ScopeCache {
  let wrote = false;
  return {
    getOrCompute: (resource, id, compute, ttl) => (wrote ? compute() : bound.getOrCompute(resource, id, compute, ttl)),
    async invalidate(resource, id) {
      checkResource(resource); // a bad name is the caller's bug: it throws here, not in a log line
      if (id !== undefined) escapeIdentifier(id);
      wrote = true;
      bound.invalidate(resource, id).catch((error: unknown) => logger.warn({ err: error }, "cache: an invalidation before commit failed"));
      afterCommit.push(() => bound.invalidate(resource, id));
    },
  };
}

function binder(cache: CacheService, afterCommit: AfterCommit): CacheBinder {
  return {
    tenant: (tenantId) => scoped(cache.forTenant(tenantId), afterCommit),
    customer: (userId) => scoped(cache.forCustomer(userId), afterCommit),
    admin: () => ({
      ...scoped(cache.platform, afterCommit),
      tenant: (tenantId) => scoped(cache.forTenant(tenantId), afterCommit),
      async flushTenant(tenantId) {
        await cache.flushTenant(tenantId);
        afterCommit.push(() => cache.flushTenant(tenantId));
      },
      purgeTenantAfterCommit(tenantId, refs) {
        afterCommit.push(() => cache.purgeTenant(tenantId, refs));
      },
      stats: (limit) => cache.stats.global(cache.store, limit),
    }),
  };
}

/**
 * Runs a scope's transaction (`body`) with handles made by `bind`, then what
 * they deferred to after commit. Nothing is deferred when the body fails: the
 * rows did not change.
 */
export async function withScopeCache<T>(cache: CacheService, body: (bind: CacheBinder) => Promise<T>): Promise<T> {
  const afterCommit: AfterCommit = [];
  const result = await body(binder(cache, afterCommit));
  for (const step of afterCommit) {
    await step().catch((error: unknown) => logger.warn({ err: error }, "cache: an invalidation after commit failed"));
  }
  return result;
}
