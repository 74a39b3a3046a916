/**
 * Stale while revalidate (getOrCompute with `staleForSeconds`), on each driver:
 * past its TTL an entry is answered at once while one background compute
 * replaces it; an invalidation or a flush drops the stale copy like any entry;
 * past the grace it is a miss again; a failed replacement leaves the stale
 * entry to be tried again. The clock is moved with setSystemTime (Redis keeps
 * the key meanwhile: its TTL covers the grace).
 *
 * Also here: a compute that an invalidation or a flush overtook does not write its value.
 */
import { afterEach, describe, expect, setSystemTime, test } from "bun:test";
import { TTL } from "../../src/tenancy/cache.ts";
import { waitFor } from "../setup/wait.ts";
import { DRIVERS, allKeys, cacheOn } from "./support.ts";

const GRACE = { staleForSeconds: TTL.LONG };

/** Moves the (frozen) clock `ms` past now; afterEach gives the real one back. */
const advance = (ms: number) => setSystemTime(new Date(Date.now() + ms));
afterEach(() => setSystemTime());

/** A compute that counts its calls and answers `value()` after `delayMs`. */
function slowCompute(value: () => string, delayMs = 150) {
  const calls = { count: 0 };
  const compute = async () => {
    calls.count++;
    await Bun.sleep(delayMs);
    return value();
  };
  return { calls, compute };
}

for (const driver of DRIVERS) {
  describe(`stale while revalidate (${driver})`, () => {
    test("past its TTL: 50 concurrent reads get the old value at once, one background compute replaces it", async () => {
      const cache = await cacheOn(driver, "swr");
      const tenant = cache.forTenant(31);
      let current = "v1";
      const { calls, compute } = slowCompute(() => current);
      expect(await tenant.getOrCompute("plan", "effective", compute, TTL.SHORT, GRACE)).toBe("v1");
      expect(calls.count).toBe(1);

      current = "v2";
      advance(TTL.SHORT * 1000 + 1);
      const started = performance.now();
      const reads = await Promise.all(Array.from({ length: 50 }, () => tenant.getOrCompute("plan", "effective", compute, TTL.SHORT, GRACE)));
      expect(performance.now() - started).toBeLessThan(150); // nobody waited for the 150 ms compute
      expect(new Set(reads)).toEqual(new Set(["v1"]));
      expect(calls.count).toBe(2); // one replacement, however many stale reads

      await waitFor("the replaced entry", async () => (await tenant.getOrCompute("plan", "effective", compute, TTL.SHORT, GRACE)) === "v2", 5_000);
      expect(calls.count).toBe(2);

      if (cache.store.redis) {
        // Redis keeps the key through the grace, so another process finds the stale copy too.
        const [key] = await allKeys(cache);
        const ttl = await cache.store.redis.ttl(`${cache.store.prefix}:${key}`);
        expect(ttl).toBeGreaterThan(TTL.LONG);
        expect(ttl).toBeLessThanOrEqual(TTL.SHORT + TTL.LONG);
      }
    });

    test("an invalidation drops the stale copy: the next read waits for the new value", async () => {
      const cache = await cacheOn(driver, "swr-inval");
      const tenant = cache.forTenant(32);
      let current = "old plan";
      const { compute } = slowCompute(() => current, 20);
      await tenant.getOrCompute("plan", "effective", compute, TTL.SHORT, GRACE);
      advance(TTL.SHORT * 1000 + 1);
      current = "new plan";
      await tenant.invalidate("plan", "effective");
      expect(await tenant.getOrCompute("plan", "effective", compute, TTL.SHORT, GRACE)).toBe("new plan");
    });

    test("a flush of the tenant drops its stale copies; another tenant's stays", async () => {
      const cache = await cacheOn(driver, "swr-flush");
      const [flushed, other] = [cache.forTenant(33), cache.forTenant(34)];
      for (const t of [flushed, other]) await t.getOrCompute("plan", "effective", async () => "old", TTL.SHORT, GRACE);
      advance(TTL.SHORT * 1000 + 1);
      await cache.flushTenant(33);
      expect(await flushed.getOrCompute("plan", "effective", async () => "new", TTL.SHORT, GRACE)).toBe("new");
      expect(await other.getOrCompute("plan", "effective", async () => "new", TTL.SHORT, GRACE)).toBe("old");
    });

    test("past the grace the entry is a miss: the read waits for the compute", async () => {
      const cache = await cacheOn(driver, "swr-gone");
      const tenant = cache.forTenant(35);
      await tenant.getOrCompute("plan", "effective", async () => "old", TTL.SHORT, GRACE);
      advance((TTL.SHORT + TTL.LONG) * 1000 + 1);
      expect(await tenant.getOrCompute("plan", "effective", async () => "new", TTL.SHORT, GRACE)).toBe("new");
    });

    test("without a grace an expired entry is a miss, as before", async () => {
      const cache = await cacheOn(driver, "swr-none");
      const tenant = cache.forTenant(36);
      await tenant.getOrCompute("settings", "x", async () => "old", TTL.SHORT);
      advance(TTL.SHORT * 1000 + 1);
      expect(await tenant.getOrCompute("settings", "x", async () => "new", TTL.SHORT)).toBe("new");
    });

    test("a failed replacement keeps the stale entry, and the next read tries again", async () => {
      const cache = await cacheOn(driver, "swr-fail");
      const tenant = cache.forTenant(37);
      await tenant.getOrCompute("plan", "effective", async () => "old", TTL.SHORT, GRACE);
      advance(TTL.SHORT * 1000 + 1);
      let attempts = 0;
      const failing = async (): Promise<string> => {
        attempts++;
        throw new Error("platform pool unreachable");
      };
      expect(await tenant.getOrCompute("plan", "effective", failing, TTL.SHORT, GRACE)).toBe("old");
      await waitFor("the failed replacement", async () => attempts === 1, 2_000);
      await Bun.sleep(10); // the failed replacement has let go of the key
      expect(await tenant.getOrCompute("plan", "effective", async () => "new", TTL.SHORT, GRACE)).toBe("old");
      await waitFor("the second replacement", async () => (await tenant.getOrCompute("plan", "effective", failing, TTL.SHORT, GRACE)) === "new", 2_000);
      expect(attempts).toBe(1);
    });

    test("a compute overtaken by an invalidation returns its value but does not cache it", async () => {
      const cache = await cacheOn(driver, "overtaken");
      const tenant = cache.forTenant(38);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const reading = tenant.getOrCompute(
        "products",
        "1",
        async () => {
          await gate; // read before the write below committed
          return "before the write";
        },
        TTL.SHORT,
      );
      await Bun.sleep(10);
      await tenant.invalidate("products", "1"); // the write's invalidation, while that compute runs
      release();
      expect(await reading).toBe("before the write");
      expect(await tenant.getOrCompute("products", "1", async () => "after the write", TTL.SHORT)).toBe("after the write");
    });

    test("a compute in flight across a flush of its tenant answers, and leaves no key behind", async () => {
      const cache = await cacheOn(driver, "overtaken-flush");
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const reading = cache.forTenant(40).getOrCompute(
        "products",
        "1",
        async () => {
          await gate;
          return "read before the flush";
        },
        TTL.SHORT,
      );
      await Bun.sleep(10);
      const { removed } = await cache.flushTenant(40);
      await removed;
      release();
      expect(await reading).toBe("read before the flush");
      expect((await allKeys(cache)).filter((key) => key.startsWith("tenant:40:") && !key.includes("~"))).toEqual([]);
    });

    test("a grace that is not a whole number of seconds is refused before any I/O", async () => {
      const cache = await cacheOn(driver, "swr-bad");
      for (const staleForSeconds of [-1, 1.5, Number.NaN]) {
        await expect(cache.forTenant(39).getOrCompute("plan", "effective", async () => "v", TTL.SHORT, { staleForSeconds })).rejects.toThrow(TypeError);
      }
      expect(await allKeys(cache)).toEqual([]);
    });
  });
}
