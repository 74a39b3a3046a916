/**
 * flushTenant on each driver: once it returns no entry of the tenant is
 * readable while every other tenant's still is; the old entries are then
 * removed from the store; other API processes (a second cache on the same
 * Redis) stop reading them too. A purge through the API leaves no key of the
 * business at all.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { TTL } from "../../src/tenancy/cache.ts";
import { client } from "../setup/client.ts";
import { createTenant } from "../setup/fixtures.ts";
import { deps, ownerUrl } from "../setup/harness.ts";
import { DRIVERS, allKeys, cacheOn, testPrefix, REDIS_URL } from "./support.ts";
import { quickUser } from "./plans.ts";
import { connectOwner } from "../setup/catalog.ts";
import { createCache } from "../../src/tenancy/cache.ts";

const db = connectOwner(ownerUrl, 1);
afterAll(() => db.end({ timeout: 5 }));

const RESOURCES = ["settings", "categories", "plan", "products", "report"];

for (const driver of DRIVERS) {
  describe(`flushTenant (${driver})`, () => {
    test("A's entries are unreadable at once, B's all still read; A's old entries are then removed", async () => {
      const cache = await cacheOn(driver, "flush");
      const [A, B] = [31, 32];
      for (const t of [A, B]) for (const r of RESOURCES) await cache.forTenant(t).getOrCompute(r, "1", async () => `${t}:${r}`, TTL.LONG);

      const { removed } = await cache.flushTenant(A);
      let recomputed = 0;
      for (const r of RESOURCES) {
        const value = await cache.forTenant(A).getOrCompute(r, "1", async () => (recomputed++, `fresh ${r}`), TTL.LONG);
        expect(value).toBe(`fresh ${r}`);
      }
      expect(recomputed).toBe(RESOURCES.length);
      for (const r of RESOURCES) {
        expect(await cache.forTenant(B).getOrCompute(r, "1", async () => "B recomputed", TTL.LONG)).toBe(`${B}:${r}`);
      }

      expect(await removed).toBe(RESOURCES.length);
      const keys = await allKeys(cache);
      const aKeys = keys.filter((k) => k.startsWith(`tenant:${A}:`));
      // What remains of A: its new generation and the entries written under it.
      expect(aKeys.filter((k) => k.includes(":g0:"))).toEqual([]);
      expect(aKeys.length).toBe(RESOURCES.length + 1);
      expect(keys.filter((k) => k.startsWith(`tenant:${B}:g0:`)).length).toBe(RESOURCES.length);
    });
  });
}

if (REDIS_URL) {
  describe("flushTenant across processes (two caches on one Redis)", () => {
    test("a flush in one process stops the other reading the old entries", async () => {
      const prefix = testPrefix("procs");
      const [one, two] = [createCache({ redisUrl: REDIS_URL, prefix }), createCache({ redisUrl: REDIS_URL, prefix })];
      try {
        await Promise.all([one.store.ready(), two.store.ready()]);
        await one.forTenant(41).getOrCompute("settings", "1", async () => "old", TTL.LONG);
        expect(await two.forTenant(41).getOrCompute("settings", "1", async () => "miss", TTL.LONG)).toBe("old"); // shared, and now remembered by two
        await one.flushTenant(41);
        // The event travels through Redis pub/sub; wait (bounded) until process two has it.
        let seen = "old";
        for (let i = 0; i < 100 && seen === "old"; i++) {
          seen = await two.forTenant(41).getOrCompute("settings", "1", async () => "new", TTL.LONG);
          if (seen === "old") await Bun.sleep(20);
        }
        expect(seen).toBe("new");
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });
  });
}

describe(`a purge through the API (${deps.cache.driver})`, () => {
  test("leaves no key of the business in the store (entries, plan, rate buckets, counters, its tenantKey and slug); another business keeps its own", async () => {
    const admin = await quickUser(db, { superAdmin: true });
    const owner = await quickUser(db);
    const [A, B] = [await createTenant(owner), await createTenant(owner)];
    for (const t of [A, B]) {
      const api = client({ token: owner.token, tenant: t.tenantKey });
      await api.categories.list.query();
      await api.categories.list.query();
      await client({ token: owner.token, tenant: t.slug }).tenants.current.query();
    }
    await deps.cache.stats.push(deps.cache.store);
    const keysOf = async (t: { businessId: number; tenantKey: string; slug: string }) =>
      (await allKeys(deps.cache)).filter(
        (k) => k.startsWith(`tenant:${t.businessId}:`) || k === `platform:tenant-ref:${t.tenantKey}` || k === `platform:tenant-ref:${t.slug}`,
      );
    const before = await keysOf(A);
    expect(before.some((k) => k.includes(":categories:"))).toBe(true);
    expect(before.some((k) => k.includes(":plan:"))).toBe(true);
    expect(before.some((k) => k.startsWith("platform:tenant-ref:"))).toBe(true);
    if (deps.cache.driver === "redis") {
      expect(before.some((k) => k.endsWith("~rate:business"))).toBe(true);
      expect(before.some((k) => k.endsWith("~stats"))).toBe(true);
    }
    const bBefore = await keysOf(B);

    const operator = client({ token: admin.token });
    await operator.tenants.lifecycle.delete.mutate({ tenantKey: A.tenantKey });
    await operator.tenants.lifecycle.purge.mutate({ tenantKey: A.tenantKey, force: true });

    expect(await keysOf(A)).toEqual([]);
    expect(await keysOf(B)).toEqual(bBefore);
  });
});
