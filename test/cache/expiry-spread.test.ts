/**
 * Entries written together do not expire together: each lives a random 80-100 %
 * of its TTL, and never longer. (A plan entry per business, all filled in one
 * warm-up, used to expire in the same second and be looked up again at once.)
 */
import { describe, expect, test } from "bun:test";
import { TTL } from "../../src/tenancy/cache.ts";
import { DRIVERS, cacheOn } from "./support.ts";

const ENTRIES = 200;
const TENANT = 4_242;

describe.each(DRIVERS)("entries' expiry on %s", (driver) => {
  test("200 entries written at once expire over the last fifth of their TTL, none after it", async () => {
    const cache = await cacheOn(driver, "spread");
    const tenant = cache.forTenant(TENANT);
    const before = Date.now();
    for (let i = 0; i < ENTRIES; i++) await tenant.getOrCompute("settings", String(i), async () => i, TTL.SHORT);
    const after = Date.now();

    const keys = (await cache.store.storage.getKeys()).filter((key) => key.includes(`${TENANT}`));
    expect(keys.length).toBe(ENTRIES);
    const expiries = await Promise.all(keys.map(async (key) => ((await cache.store.storage.getItem(key)) as { x: number }).x));
    const earliest = Math.min(...expiries);
    const latest = Math.max(...expiries);
    expect(latest).toBeLessThanOrEqual(after + TTL.SHORT * 1000);
    expect(earliest).toBeGreaterThanOrEqual(before + 0.8 * TTL.SHORT * 1000 - 1000); // rounded to whole seconds
    expect(latest - earliest).toBeGreaterThan(0.1 * TTL.SHORT * 1000); // spread, not one instant
    expect(new Set(expiries.map((x) => Math.round((x - before) / 1000))).size).toBeGreaterThan(5);

    if (cache.store.redis) {
      // Redis's own TTL follows the same spread, so the key goes when the entry expires.
      const ttls = await Promise.all(keys.map((key) => cache.store.redis!.ttl(`${cache.store.prefix}:${key}`)));
      expect(Math.max(...ttls)).toBeLessThanOrEqual(TTL.SHORT);
      expect(Math.min(...ttls)).toBeGreaterThanOrEqual(0.8 * TTL.SHORT - 2);
      expect(new Set(ttls).size).toBeGreaterThan(5);
    }
  });
});
