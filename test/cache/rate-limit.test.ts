/**
 * The request rate limit: token buckets (burst, refill, a refusal takes
 * nothing); one global bucket per business and per member on Redis, shared by
 * every process; the IETF draft's RateLimit-Policy / RateLimit fields on every
 * tenant request, TOO_MANY_REQUESTS with Retry-After past the limit, decided
 * before any database work; the limit follows the business's effective plan and
 * an operator's change of it.
 */
import { afterAll, describe, expect, setDefaultTimeout, setSystemTime, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import { createDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import { createCacheStore } from "../../src/tenancy/cache-store.ts";
import { createMemoryBuckets, createRateLimiter } from "../../src/tenancy/rate-limit.ts";
import { client } from "../setup/client.ts";
import { connectOwner } from "../setup/catalog.ts";
import { createTenant } from "../setup/fixtures.ts";
import { waitFor } from "../setup/wait.ts";
import { app, contextKey, deps, ownerUrl, urls } from "../setup/harness.ts";
import { shopOnPlan, quickUser } from "./plans.ts";
import { REDIS_URL, call, parseFields, testPrefix } from "./support.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

const viaApp = (request: Request) => app.fetch(request);
const BASE = "http://api.desibazaar.test";

/** The business's rate (RateLimit-Policy's `business` item) that `user`'s next request to `tenant` carries. */
async function businessRate(user: { token: string }, tenant: { tenantKey: string }) {
  return parseFields((await call(viaApp, BASE, "tenants.current", { token: user.token, tenant: tenant.tenantKey })).headers.get("RateLimit-Policy")).business!;
}

/** A super admin, and a business on a plan of its own at `perMinute`; `policy()` is the business's rate as its next request carries it. */
async function businessOnOwnPlan(perMinute: number) {
  const admin = await quickUser(owner, { superAdmin: true });
  const { tenant, planId, owner: user } = await shopOnPlan(owner, perMinute);
  const policy = () => businessRate(user, tenant);
  return { admin, planId, tenant, policy };
}

describe("token buckets (memory, with a clock the test moves)", () => {
  test("a burst of one minute's allowance, refilled continuously; a refusal takes no token and says when to retry", () => {
    let now = 1_000_000;
    const buckets = createMemoryBuckets(() => now);
    const spec = [{ key: "b", perMinute: 6 }];
    for (let i = 5; i >= 0; i--) expect(buckets.take(spec)).toMatchObject({ allowed: true, buckets: [{ remaining: i }] });
    expect(buckets.take(spec)).toMatchObject({ allowed: false, retryAfterSeconds: 10, buckets: [{ remaining: 0 }] });
    now += 9_999;
    expect(buckets.take(spec).allowed).toBe(false); // refusals did not dig the bucket deeper
    now += 1;
    expect(buckets.take(spec)).toMatchObject({ allowed: true, buckets: [{ remaining: 0 }] });
    now += 60_000;
    expect(buckets.take(spec)).toMatchObject({ allowed: true, buckets: [{ remaining: 5 }] }); // full again, never more
  });

  test("two buckets per request: when one is empty neither is charged", () => {
    const buckets = createMemoryBuckets(() => 0);
    const business = { key: "biz", perMinute: 10 };
    const alice = [business, { key: "alice", perMinute: 2 }];
    expect(buckets.take(alice).allowed).toBe(true);
    expect(buckets.take(alice).allowed).toBe(true);
    expect(buckets.take(alice)).toMatchObject({ allowed: false, buckets: [{ remaining: 8 }, { remaining: 0 }] });
    expect(buckets.take([business, { key: "bob", perMinute: 2 }])).toMatchObject({ allowed: true, buckets: [{ remaining: 7 }, { remaining: 1 }] });
  });
});

if (REDIS_URL) {
  describe("token buckets on Redis", () => {
    test("two processes share one bucket: 300 concurrent requests against 50 a minute let about 50 through in all", async () => {
      const prefix = testPrefix("buckets");
      const stores = [createCacheStore({ redisUrl: REDIS_URL, prefix }), createCacheStore({ redisUrl: REDIS_URL, prefix })];
      try {
        await Promise.all(stores.map((s) => s.ready()));
        const limiters = stores.map(createRateLimiter);
        const spec = [{ key: "tenant:1:~rate:business", perMinute: 50 }];
        const results = await Promise.all(Array.from({ length: 300 }, (_, i) => limiters[i % 2]!.take(spec)));
        const allowed = results.filter((r) => r.allowed).length;
        expect(results.every((r) => r.store === "redis")).toBe(true);
        // The burst, plus what refilled while the test ran (50 a minute: under one a second).
        expect(allowed).toBeGreaterThanOrEqual(50);
        expect(allowed).toBeLessThanOrEqual(52);
        const refused = results.find((r) => !r.allowed)!;
        expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(refused.retryAfterSeconds).toBeLessThanOrEqual(2);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}

describe(`tenant requests (${deps.cache.driver})`, () => {
  test("carry RateLimit-Policy and RateLimit: the plan's rate per business and a fifth of it per member", async () => {
    const user = await quickUser(owner);
    const tenant = await createTenant(user);
    const first = await call(viaApp, BASE, "tenants.current", { token: user.token, tenant: tenant.tenantKey });
    expect(first.status).toBe(200);
    expect(parseFields(first.headers.get("RateLimit-Policy"))).toEqual({ business: { q: 600, w: 60 }, user: { q: 120, w: 60 } });
    const remaining = parseFields(first.headers.get("RateLimit"));
    expect(remaining).toEqual({ business: { r: 599, t: 1 }, user: { r: 119, t: 1 } });
    expect(first.headers.get("Retry-After")).toBeNull();
  });

  test("one business is one bucket, however it is named (tenantKey or slug) and whoever calls", async () => {
    const shop = await shopOnPlan(owner, 6, 1); // a token every 10 s: nothing refills while the test runs
    const byKey = await call(viaApp, BASE, "tenants.current", { token: shop.owner.token, tenant: shop.tenant.tenantKey });
    const bySlug = await call(viaApp, BASE, "tenants.current", { token: shop.members[0]!.token, tenant: shop.tenant.slug });
    expect(parseFields(byKey.headers.get("RateLimit")).business!.r).toBe(5);
    expect(parseFields(bySlug.headers.get("RateLimit")).business!.r).toBe(4);
  });

  test("past a member's share → TOO_MANY_REQUESTS with Retry-After; a colleague still gets through", async () => {
    const shop = await shopOnPlan(owner, 10, 1); // 10 a minute for the business, 2 per member
    const [alice, bob] = [shop.owner, shop.members[0]!];
    for (let i = 0; i < 2; i++) expect((await call(viaApp, BASE, "tenants.current", { token: alice.token, tenant: shop.tenant.tenantKey })).status).toBe(200);
    const refused = await call(viaApp, BASE, "tenants.current", { token: alice.token, tenant: shop.tenant.tenantKey });
    expect(refused).toMatchObject({ status: 429, code: "TOO_MANY_REQUESTS" });
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(parseFields(refused.headers.get("RateLimit")).user!.r).toBe(0);
    const error = await client({ token: alice.token, tenant: shop.tenant.tenantKey }).tenants.current.query().catch((e: Error) => e);
    expect((error as Error).message).toContain("each member may make 2 requests per minute");
    expect((await call(viaApp, BASE, "tenants.current", { token: bob.token, tenant: shop.tenant.tenantKey })).status).toBe(200);
  });

  test("past the business's rate every member is refused, and other businesses are not", async () => {
    const shop = await shopOnPlan(owner, 5, 5); // 5 a minute, 1 per member, 6 members
    const everyone = [shop.owner, ...shop.members];
    const statuses = [];
    for (const member of everyone) statuses.push((await call(viaApp, BASE, "tenants.current", { token: member.token, tenant: shop.tenant.tenantKey })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const error = await client({ token: shop.members[4]!.token, tenant: shop.tenant.tenantKey }).tenants.current.query().catch((e: Error) => e);
    expect((error as Error).message).toContain("this business's plan allows 5 requests per minute");
    const other = await quickUser(owner);
    expect((await call(viaApp, BASE, "tenants.current", { token: other.token, tenant: (await createTenant(other)).tenantKey })).status).toBe(200);
  });

  test("is decided before any database work: with the tenant's database unreachable, a request past the limit is still a clean 429", async () => {
    // Same cache (and buckets) as the harness, but the tenant role's pool points at nothing.
    const broken = createDeps({
      roleUrls: { ...urls, app: "postgres://nobody@127.0.0.1:1/nowhere" },
      contextKey,
      tokens: { secret: env.JWT_SECRET! },
      baseDomain: "desibazaar.test",
      redisUrl: env.REDIS_URL,
      cachePrefix: deps.cache.driver === "redis" ? env.CACHE_PREFIX : testPrefix("broken"),
    });
    try {
      const brokenApp = createApp(broken);
      const shop = await shopOnPlan(owner, 5); // 1 a minute per member
      const admitted = await call((r) => brokenApp.fetch(r), BASE, "tenants.current", { token: shop.owner.token, tenant: shop.tenant.tenantKey });
      expect(admitted.status).toBe(500); // admitted, then the tenant's database could not be reached
      const refused = await call((r) => brokenApp.fetch(r), BASE, "tenants.current", { token: shop.owner.token, tenant: shop.tenant.tenantKey });
      expect(refused).toMatchObject({ status: 429, code: "TOO_MANY_REQUESTS" });
      expect(refused.headers.get("Retry-After")).not.toBeNull();
    } finally {
      await broken.close();
    }
  });

  test("follows the effective plan: an ended trial is limited like the free plan, and a plan change applies to the next request", async () => {
    const user = await quickUser(owner);
    const tenant = await createTenant(user);
    await owner`update business_subscriptions set plan_id = 'enterprise', trial_ends_at = now() - interval '1 day' where business_id = ${tenant.businessId}`;
    const quota = async () => (await businessRate(user, tenant)).q;
    expect(await quota()).toBe(600);
    await client({ token: user.token, tenant: tenant.tenantKey }).subscriptions.changePlan.mutate({ planId: "professional" });
    expect(await quota()).toBe(12_000);
  });

  test("an operator's change of a plan's rate: stored at once, and the cached plan is fresh at most a minute", async () => {
    const { admin, planId, tenant, policy } = await businessOnOwnPlan(50);
    expect((await policy()).q).toBe(50);

    const set = await client({ token: admin.token }).admin.rateLimits.set.mutate({ planId, requestsPerMinute: 70 });
    expect(set).toMatchObject({ planId, requestsPerMinute: 70, perMemberPerMinute: 14 });
    expect(await client({ token: admin.token }).admin.rateLimits.list.query()).toContainEqual(expect.objectContaining({ planId, requestsPerMinute: 70 }));
    const entry = (await deps.cache.store.storage.getKeys(`tenant:${tenant.businessId}:`)).find((k) => k.endsWith(":plan:effective"))!;
    const stored = (await deps.cache.store.storage.getItem(entry)) as { x: number };
    expect(stored.x - Date.now()).toBeLessThanOrEqual(60_000);
    // When that entry expires (here: dropped now), the next request has the new rate.
    await deps.cache.store.storage.removeItem(entry);
    expect(await policy()).toEqual({ q: 70, w: 60 });
  });

  test("a plan entry past its minute is answered at once (the old rate), while one platform lookup brings the new rate", async () => {
    const { admin, planId, policy } = await businessOnOwnPlan(40);
    expect((await policy()).q).toBe(40);
    await client({ token: admin.token }).admin.rateLimits.set.mutate({ planId, requestsPerMinute: 45 });
    try {
      setSystemTime(new Date(Date.now() + 61_000)); // the entry is past its minute, within its hour of grace
      expect((await policy()).q).toBe(40); // answered from the stale entry: no wait for the platform pool
      expect(await waitFor("the replaced plan entry", async () => (await policy()).q === 45, 10_000)).toBe(true);
    } finally {
      setSystemTime();
    }
  });

  test("requests that are not for a known business carry no rate fields and count nothing", async () => {
    const user = await quickUser(owner);
    const unknown = await call(viaApp, BASE, "tenants.current", { token: user.token, tenant: "no-such-business-here" });
    expect(unknown.code).toBe("NOT_FOUND");
    expect(unknown.headers.get("RateLimit-Policy")).toBeNull();
    const anonymous = await call(viaApp, BASE, "tenants.current", { tenant: "no-such-business-here" });
    expect(anonymous.code).toBe("UNAUTHORIZED");
  });
});
