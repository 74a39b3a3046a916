/**
 * Cache hits and misses, reads that bypassed the cache, and rate-limit refusals:
 * per tenant and in total. Counting is in memory (no round trip per read); with
 * Redis, each process adds its new counts to `tenant:{id}:~stats` every few
 * seconds, so super admins read one total across every API process.
 */
import { statsKey } from "./cache-keys.ts";
import type { CacheStore } from "./cache-store.ts";

export interface Counts {
  hits: number;
  misses: number;
  bypassed: number;
  refusals: number;
}

export type TenantCounts = Counts & { businessId: number };

const FIELDS = ["hits", "misses", "bypassed", "refusals"] as const;
const zero = (): Counts => ({ hits: 0, misses: 0, bypassed: 0, refusals: 0 });
/** Beyond this many tenants with unsent counts, the oldest are dropped rather than grow without bound while Redis is away. */
const MAX_PENDING = 100_000;

export class CacheStats {
  private readonly total = zero();
  private readonly byTenant = new Map<number, Counts>();
  private pending = new Map<number, Counts>();

  /** `tenantId` null: a customer's or the platform namespace's entry, counted in the totals only. */
  record(tenantId: number | null, field: keyof Counts): void {
    this.total[field]++;
    if (tenantId === null) return;
    for (const map of [this.byTenant, this.pending]) {
      let counts = map.get(tenantId);
      if (!counts) {
        if (map.size >= MAX_PENDING) map.delete(map.keys().next().value!);
        map.set(tenantId, (counts = zero()));
      }
      counts[field]++;
    }
  }

  /** This process since it started. */
  totals(): Counts {
    return { ...this.total };
  }

  /** This process's counts per tenant, most refused (then most missed) first. */
  tenants(limit = 100): TenantCounts[] {
    return sortCounts([...this.byTenant].map(([businessId, c]) => ({ businessId, ...c }))).slice(0, limit);
  }

  forget(tenantId: number): void {
    this.byTenant.delete(tenantId);
    this.pending.delete(tenantId);
  }

  /** Adds the counts not yet sent to Redis; on failure they are kept for the next try. */
  async push(store: CacheStore): Promise<void> {
    if (!store.redis || !store.isUp() || this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const pipeline = store.redis.pipeline();
    for (const [tenantId, counts] of batch) {
      const key = `${store.prefix}:${statsKey(tenantId)}`;
      for (const field of FIELDS) if (counts[field]) pipeline.hincrby(key, field, counts[field]);
    }
    try {
      await pipeline.exec();
    } catch (error) {
      store.failed(error);
      for (const [tenantId, counts] of batch) {
        const kept = this.pending.get(tenantId) ?? zero();
        for (const field of FIELDS) kept[field] += counts[field];
        this.pending.set(tenantId, kept);
      }
    }
  }

  /** Every API process's counts (Redis), or this process's (memory). */
  async global(store: CacheStore, limit = 100): Promise<TenantCounts[]> {
    if (!store.redis || !store.isUp()) return this.tenants(limit);
    await this.push(store);
    const keys: string[] = [];
    for await (const batch of store.redis.scanStream({ match: `${store.prefix}:tenant:*:~stats`, count: 1_000 })) keys.push(...(batch as string[]));
    const pipeline = store.redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    const rows = keys.map((key, i) => {
      const hash = (replies[i]?.[1] ?? {}) as Record<string, string>;
      const businessId = Number(key.slice(`${store.prefix}:tenant:`.length).split(":")[0]);
      return { businessId, ...Object.fromEntries(FIELDS.map((f) => [f, Number(hash[f] ?? 0)])) } as TenantCounts;
    });
    return sortCounts(rows).slice(0, limit);
  }
}

function sortCounts(rows: TenantCounts[]): TenantCounts[] {
  return rows.sort((a, b) => b.refusals - a.refusals || b.misses - a.misses || a.businessId - b.businessId);
}
