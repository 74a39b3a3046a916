/**
 * getOrCompute on each driver: concurrent misses of one key compute once (per
 * process); values keep their types and every caller gets its own copy; a
 * compute that fails or returns undefined leaves nothing cached; invalidate
 * drops one entry or a whole resource.
 */
import { describe, expect, test } from "bun:test";
import { TTL } from "../../src/tenancy/cache.ts";
import { DRIVERS, allKeys, cacheOn } from "./support.ts";

for (const driver of DRIVERS) {
  describe(`getOrCompute (${driver})`, () => {
    test("1,000 concurrent misses of one key: one compute, and all 1,000 get its value", async () => {
      const cache = await cacheOn(driver, "flight");
      let computes = 0;
      const compute = async () => {
        computes++;
        await Bun.sleep(20); // a slow query: every caller arrives while it runs
        return { rows: [1, 2, 3], at: new Date("2030-01-02T03:04:05Z") };
      };
      const results = await Promise.all(Array.from({ length: 1_000 }, () => cache.forTenant(11).getOrCompute("report", "daily", compute, TTL.MEDIUM)));
      expect(computes).toBe(1);
      expect(results.every((r) => r.rows.length === 3 && r.at instanceof Date && r.at.getTime() === Date.UTC(2030, 0, 2, 3, 4, 5))).toBe(true);
      // Each caller has its own copy: one caller's change is nobody else's.
      results[0]!.rows.push(4);
      expect(results[1]!.rows).toEqual([1, 2, 3]);
      expect(await cache.forTenant(11).getOrCompute("report", "daily", compute, TTL.MEDIUM)).toEqual({ rows: [1, 2, 3], at: new Date("2030-01-02T03:04:05Z") });
      expect(computes).toBe(1);
    });

    test("different keys and different tenants do not share a flight", async () => {
      const cache = await cacheOn(driver, "flights");
      let computes = 0;
      const compute = (v: string) => async () => {
        computes++;
        await Bun.sleep(10);
        return v;
      };
      const got = await Promise.all([
        cache.forTenant(1).getOrCompute("r", "a", compute("1a"), TTL.SHORT),
        cache.forTenant(1).getOrCompute("r", "b", compute("1b"), TTL.SHORT),
        cache.forTenant(2).getOrCompute("r", "a", compute("2a"), TTL.SHORT),
      ]);
      expect(got).toEqual(["1a", "1b", "2a"]);
      expect(computes).toBe(3);
    });

    test("a failed compute reaches every waiter and caches nothing; the next call computes again", async () => {
      const cache = await cacheOn(driver, "fail");
      const failing = async () => {
        await Bun.sleep(5);
        throw new Error("database said no");
      };
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => cache.forTenant(3).getOrCompute("r", "x", failing, TTL.SHORT)));
      expect(outcomes.every((o) => o.status === "rejected" && String(o.reason).includes("database said no"))).toBe(true);
      expect(await allKeys(cache)).toEqual([]);
      expect(await cache.forTenant(3).getOrCompute("r", "x", async () => "works now", TTL.SHORT)).toBe("works now");
    });

    test("undefined is never cached; null is", async () => {
      const cache = await cacheOn(driver, "undef");
      let calls = 0;
      const nothing = async () => {
        calls++;
        return undefined;
      };
      await cache.forTenant(4).getOrCompute("r", "u", nothing, TTL.SHORT);
      await cache.forTenant(4).getOrCompute("r", "u", nothing, TTL.SHORT);
      expect(calls).toBe(2);
      expect(await cache.forTenant(4).getOrCompute("r", "n", async () => null, TTL.SHORT)).toBeNull();
      expect(await cache.forTenant(4).getOrCompute("r", "n", async () => "not null", TTL.SHORT)).toBeNull();
    });

    test("invalidate drops one entry, or every entry of a resource, in its own space only", async () => {
      const cache = await cacheOn(driver, "inval");
      const [a, b] = [cache.forTenant(21), cache.forTenant(22)];
      for (const t of [a, b]) for (const id of ["1", "2"]) await t.getOrCompute("products", id, async () => `old ${id}`, TTL.SHORT);
      await a.getOrCompute("categories", "all", async () => "old list", TTL.SHORT);

      await a.invalidate("products", "1");
      expect(await a.getOrCompute("products", "1", async () => "new 1", TTL.SHORT)).toBe("new 1");
      expect(await a.getOrCompute("products", "2", async () => "new 2", TTL.SHORT)).toBe("old 2");

      await a.invalidate("products");
      expect(await a.getOrCompute("products", "2", async () => "new 2", TTL.SHORT)).toBe("new 2");
      expect(await a.getOrCompute("categories", "all", async () => "new list", TTL.SHORT)).toBe("old list");
      expect(await b.getOrCompute("products", "1", async () => "new", TTL.SHORT)).toBe("old 1");
      expect(await b.getOrCompute("products", "2", async () => "new", TTL.SHORT)).toBe("old 2");
    });

    test("an entry lives no longer than its TTL", async () => {
      const cache = await cacheOn(driver, "ttl");
      await cache.forTenant(9).getOrCompute("r", "short", async () => "v", TTL.SHORT);
      const [key] = await allKeys(cache);
      const stored = (await cache.store.storage.getItem(key!)) as { x: number };
      expect(stored.x - Date.now()).toBeLessThanOrEqual(TTL.SHORT * 1000);
      if (cache.store.redis) {
        const ttl = await cache.store.redis.pttl(`${cache.store.prefix}:${key}`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(TTL.SHORT * 1000);
      }
    });
  });
}
