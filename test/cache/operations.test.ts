/**
 * What operators and super admins get: admin.cache.stats (hits, misses and
 * refusals per business), admin.cache.flush, admin.rateLimits.list/set (with
 * the shared security matrix), `bun run tenant rate-limit` and `flush-cache`,
 * and the cache part of /health's detail (per-tenant rows only for a super admin).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { tenantCli as cli } from "../setup/cli.ts";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner } from "../setup/catalog.ts";
import { createTenant } from "../setup/fixtures.ts";
import { app, deps, ownerUrl } from "../setup/harness.ts";
import { securityMatrix } from "../setup/security-matrix.ts";
import { customPlan, shopOnPlan, quickUser } from "./plans.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

securityMatrix({ name: "admin.cache.stats", kind: "admin", call: async (c) => expect(Array.isArray(await c.admin.cache.stats.query({ limit: 5 }))).toBe(true) });
securityMatrix({
  name: "admin.cache.flush",
  kind: "admin",
  call: async (c, fx) => expect(await c.admin.cache.flush.mutate({ tenantRef: fx.tenant.tenantKey })).toEqual({ businessId: fx.tenant.businessId, flushed: true }),
});
securityMatrix({ name: "admin.rateLimits.list", kind: "admin", call: async (c) => expect((await c.admin.rateLimits.list.query()).length).toBeGreaterThanOrEqual(4) });
const matrixPlan = customPlan(owner, 1_000);
securityMatrix({
  name: "admin.rateLimits.set",
  kind: "admin",
  call: async (c) => expect(await c.admin.rateLimits.set.mutate({ planId: await matrixPlan, requestsPerMinute: 900 })).toMatchObject({ requestsPerMinute: 900 }),
});

describe("admin.cache.stats", () => {
  test("counts hits, misses and refusals per business, named", async () => {
    const admin = await quickUser(owner, { superAdmin: true });
    const shop = await shopOnPlan(owner, 5); // one request a minute per member
    const api = client({ token: shop.owner.token, tenant: shop.tenant.tenantKey });
    await api.categories.list.query();
    await expectCode(api.categories.list.query(), "TOO_MANY_REQUESTS");
    await expectCode(api.categories.list.query(), "TOO_MANY_REQUESTS");
    const rows = await client({ token: admin.token }).admin.cache.stats.query({ limit: 1_000 });
    const mine = rows.find((r) => r.businessId === shop.tenant.businessId);
    expect(mine).toMatchObject({ tenantKey: shop.tenant.tenantKey, slug: shop.tenant.slug, refusals: 2 });
    expect(mine!.misses).toBeGreaterThanOrEqual(1); // the list, the first time
  });

  test("bad input is BAD_REQUEST; an unknown plan or business NOT_FOUND", async () => {
    const admin = client({ token: (await quickUser(owner, { superAdmin: true })).token });
    for (const requestsPerMinute of [0, -1, 1.5, 10_000_001, "600" as never]) await expectCode(admin.admin.rateLimits.set.mutate({ planId: "free", requestsPerMinute }), "BAD_REQUEST");
    await expectCode(admin.admin.rateLimits.set.mutate({ planId: "", requestsPerMinute: 10 }), "BAD_REQUEST");
    await expectCode(admin.admin.rateLimits.set.mutate({ planId: "no-such-plan", requestsPerMinute: 10 }), "NOT_FOUND");
    await expectCode(admin.admin.cache.flush.mutate({ tenantRef: "Not A Slug!" }), "BAD_REQUEST");
    await expectCode(admin.admin.cache.flush.mutate({ tenantRef: crypto.randomUUID() }), "NOT_FOUND");
    await expectCode(admin.admin.cache.stats.query({ limit: 0 }), "BAD_REQUEST");
  });
});

describe("/health detail", () => {
  test("shows the store and this process's totals to anyone; per-business rows only to a super admin who asks", async () => {
    const user = await quickUser(owner);
    const tenant = await createTenant(user);
    await client({ token: user.token, tenant: tenant.tenantKey }).categories.list.query();
    const anonymous = (await (await app.request("/health?detail=tenants")).json()) as Record<string, any>;
    expect(anonymous.detail).toEqual({
      cache: { driver: deps.cache.driver, hits: expect.any(Number), misses: expect.any(Number), bypassed: expect.any(Number) },
      rateLimit: { store: deps.cache.driver, refusals: expect.any(Number) },
    });
    expect(anonymous.detail.cache.misses).toBeGreaterThan(0);
    const asMember = (await (await app.request("/health?detail=tenants", { headers: { authorization: `Bearer ${user.token}` } })).json()) as Record<string, any>;
    expect(asMember.detail.tenants).toBeUndefined();
    const admin = await quickUser(owner, { superAdmin: true });
    const asAdmin = (await (await app.request("/health?detail=tenants", { headers: { authorization: `Bearer ${admin.token}` } })).json()) as Record<string, any>;
    expect(asAdmin.detail.tenants).toContainEqual(expect.objectContaining({ businessId: tenant.businessId }));
    const plain = (await (await app.request("/health", { headers: { authorization: `Bearer ${admin.token}` } })).json()) as Record<string, any>;
    expect(plain.detail.tenants).toBeUndefined();
  });
});

describe("bun run tenant", () => {
  test("rate-limit lists the plans' rates and sets one; flush-cache flushes a business; wrong use exits 2", async () => {
    const planId = await customPlan(owner, 100);
    const set = await cli("rate-limit", planId, "250", "--json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ planId, requestsPerMinute: 250, perMemberPerMinute: 50 });
    expect((await owner`select requests_per_minute from subscription_plans where id = ${planId}`)[0]).toEqual({ requests_per_minute: 250 });
    const listed = await cli("rate-limit", "--json");
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ planId: "free", requestsPerMinute: 600, perMemberPerMinute: 120 }));
    expect((await cli("rate-limit", planId, "lots")).code).toBe(2);
    expect((await cli("rate-limit", planId)).code).toBe(2);

    const user = await quickUser(owner);
    const tenant = await createTenant(user);
    const flushed = await cli("flush-cache", tenant.slug, "--json");
    expect(flushed.code).toBe(0);
    expect(JSON.parse(flushed.stdout)).toEqual({ businessId: tenant.businessId, flushed: true });
  });
});
