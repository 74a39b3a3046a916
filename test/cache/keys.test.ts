/**
 * Cache isolation, on each driver: one logical key of two tenants holds two
 * values; identifiers with `:`, `/` and the rest never collide; there is no way
 * to read or write without a tenant (or a customer, or the named platform
 * namespace). On Redis the stored keys are checked too.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { TTL } from "../../src/tenancy/cache.ts";
import { escapeIdentifier, tenantEntryKey } from "../../src/tenancy/cache-keys.ts";
import { createTenant } from "../setup/fixtures.ts";
import { scopes, ownerUrl } from "../setup/harness.ts";
import { quickUser } from "./plans.ts";
import { connectOwner } from "../setup/catalog.ts";
import { DRIVERS, allKeys, cacheOn } from "./support.ts";

const db = connectOwner(ownerUrl, 1);
afterAll(() => db.end({ timeout: 5 }));

const never = async (): Promise<string> => {
  throw new Error("should have been a hit");
};

const HOSTILE = ["a:b", "a/b", "a\\b", "a::b", "a//b", "a%3Ab", "a%3ab", "a?b", "a#b", "a*b", "a[b]", "a b", ":", "/", "", ".", "..", "a:", ":a", "~", "%7E", "ä", "a\u0000b", "tenant:2:g0:x:y"];

for (const driver of DRIVERS) {
  describe(`cache keys (${driver})`, () => {
    test("two tenants, one logical key: two values, each read back by its own tenant only", async () => {
      const cache = await cacheOn(driver, "keys");
      await cache.forTenant(101).getOrCompute("settings", "current", async () => "A's settings", TTL.LONG);
      await cache.forTenant(202).getOrCompute("settings", "current", async () => "B's settings", TTL.LONG);
      expect(await cache.forTenant(101).getOrCompute("settings", "current", never, TTL.LONG)).toBe("A's settings");
      expect(await cache.forTenant(202).getOrCompute("settings", "current", never, TTL.LONG)).toBe("B's settings");
      // A third tenant has nothing: it computes its own.
      expect(await cache.forTenant(303).getOrCompute("settings", "current", async () => "C's", TTL.LONG)).toBe("C's");
      const keys = await allKeys(cache);
      expect(keys.filter((k) => k.startsWith("tenant:101:"))).toEqual(["tenant:101:g0:settings:current"]);
      expect(keys.filter((k) => k.startsWith("tenant:202:"))).toEqual(["tenant:202:g0:settings:current"]);
    });

    test("identifiers with : / \\ ? * % and the like never collide, and never add a key segment", async () => {
      const cache = await cacheOn(driver, "escape");
      const tenant = cache.forTenant(7);
      for (const [i, id] of HOSTILE.entries()) await tenant.getOrCompute("products", id, async () => `value ${i}`, TTL.SHORT);
      for (const [i, id] of HOSTILE.entries()) expect({ id, value: await tenant.getOrCompute("products", id, never, TTL.SHORT) }).toEqual({ id, value: `value ${i}` });
      const keys = (await allKeys(cache)).filter((k) => k.startsWith("tenant:7:"));
      expect(keys.length).toBe(HOSTILE.length);
      // Every key has exactly the builder's five segments, whatever the identifier held.
      for (const key of keys) expect(key.split(":").length).toBe(5);
      // Nothing escaped into another tenant's or the platform's keys.
      expect((await allKeys(cache)).every((k) => k.startsWith("tenant:7:"))).toBe(true);
    });

    test("a customer's entries and the platform namespace are apart from every tenant's", async () => {
      const cache = await cacheOn(driver, "spaces");
      await cache.forTenant(5).getOrCompute("profile", "x", async () => "tenant 5", TTL.SHORT);
      await cache.forCustomer(5).getOrCompute("profile", "x", async () => "customer 5", TTL.SHORT);
      await cache.platform.getOrCompute("profile", "x", async () => "platform", TTL.SHORT);
      expect(await cache.forTenant(5).getOrCompute("profile", "x", never, TTL.SHORT)).toBe("tenant 5");
      expect(await cache.forCustomer(5).getOrCompute("profile", "x", never, TTL.SHORT)).toBe("customer 5");
      expect(await cache.platform.getOrCompute("profile", "x", never, TTL.SHORT)).toBe("platform");
      expect(await allKeys(cache)).toEqual(["customer:5:profile:x", "platform:profile:x", "tenant:5:g0:profile:x"]);
    });

    test("no tenant, no access: no handle without a real tenant or customer id, no key without a proper resource", async () => {
      const cache = await cacheOn(driver, "none");
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, undefined, null, "1", "abc"]) {
        expect(() => cache.forTenant(bad as never)).toThrow(TypeError);
        expect(() => cache.forCustomer(bad as never)).toThrow(TypeError);
      }
      for (const resource of ["", "Products", "a:b", "a/b", "tenant:1", "x".repeat(41), "1abc"]) {
        await expect(cache.forTenant(1).getOrCompute(resource, "id", async () => 1, TTL.SHORT)).rejects.toThrow(TypeError);
        await expect(cache.platform.invalidate(resource)).rejects.toThrow(TypeError);
      }
      await expect(cache.forTenant(1).getOrCompute("ok", "id", async () => 1, 0)).rejects.toThrow(TypeError);
      await expect(cache.forTenant(1).getOrCompute("ok", Number.NaN, async () => 1, TTL.SHORT)).rejects.toThrow(TypeError);
      expect(await allKeys(cache)).toEqual([]);
    });
  });
}

describe("the scope's handle", () => {
  test("is bound to the scope's tenant: the same call in two tenants' scopes reads two entries", async () => {
    const owner = await quickUser(db);
    const [a, b] = [await createTenant(owner), await createTenant(owner)];
    const read = (businessId: number, value: string) =>
      scopes.asTenant(businessId, (s) => s.cache.getOrCompute("greeting", "hello", async () => value, TTL.SHORT), { readOnly: true });
    expect(await read(a.businessId, "from A")).toBe("from A");
    expect(await read(b.businessId, "from B")).toBe("from B");
    expect(await read(a.businessId, "recomputed")).toBe("from A");
    expect(await read(b.businessId, "recomputed")).toBe("from B");
  });

  test("offers no key-level access: only getOrCompute and invalidate, for resources and ids", async () => {
    const owner = await quickUser(db);
    const tenant = await createTenant(owner);
    const methods = await scopes.asTenant(tenant.businessId, async (s) => Object.keys(s.cache).sort(), { readOnly: true });
    expect(methods).toEqual(["getOrCompute", "invalidate"]);
  });

  test("escaping is injective over a sample of odd strings", () => {
    const samples = [...HOSTILE, "%", "%25", "%%", "a%", "%a", "é", "e\u0301", "😀", "\u{10FFFF}"];
    const escaped = samples.map(escapeIdentifier);
    expect(new Set(escaped).size).toBe(samples.length);
    for (const e of escaped) expect(e).toMatch(/^(~|[A-Za-z0-9_%-]+)$/);
    expect(tenantEntryKey(1, "g0", "products", "a:b")).toBe("tenant:1:g0:products:a%3Ab");
  });
});
