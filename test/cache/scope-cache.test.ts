/**
 * The cache where the services use it (category lists, business settings), on
 * the run's driver: a write is visible on the next read; a reader that cached
 * the old rows between the writer's invalidation and its COMMIT does not keep
 * them; a transaction's own uncommitted rows are never cached for others, and a
 * rolled-back write leaves no trace.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createCategory, listCategories } from "../../src/services/catalog/categories.ts";
import { client } from "../setup/client.ts";
import { createTenant } from "../setup/fixtures.ts";
import { connectOwner } from "../setup/catalog.ts";
import { deps, ownerUrl, scopes } from "../setup/harness.ts";
import { quickUser } from "./plans.ts";
import { allKeys } from "./support.ts";

const owner = connectOwner(ownerUrl, 1);
afterAll(() => owner.end({ timeout: 5 }));

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

async function shop() {
  const user = await quickUser(owner);
  const tenant = await createTenant(user);
  return { tenant, api: client({ token: user.token, tenant: tenant.tenantKey }) };
}

describe(`category lists (${deps.cache.driver})`, () => {
  test("are cached, and a new category is in the next list", async () => {
    const { tenant, api } = await shop();
    const first = await api.categories.list.query();
    expect((await allKeys(deps.cache)).some((k) => k.startsWith(`tenant:${tenant.businessId}:`) && k.endsWith(":categories:all"))).toBe(true);
    expect(await api.categories.list.query()).toEqual(first); // dates and all, from the cache
    await api.categories.create.mutate({ name: "Fresh Herbs" });
    expect(names(await api.categories.list.query())).toContain("Fresh Herbs");
  });

  test("a reader that re-caches the old list before the writer commits does not keep it", async () => {
    const { tenant, api } = await shop();
    await api.categories.list.query();
    await scopes.asTenant(tenant.businessId, async (writer) => {
      await createCategory(writer, { name: "Racing Spices" });
      // Another request, on another connection, before this COMMIT: it reads (and caches) the committed list.
      const meanwhile = await scopes.asTenant(tenant.businessId, (reader) => listCategories(reader), { readOnly: true });
      expect(names(meanwhile)).not.toContain("Racing Spices");
      // The writer sees its own row (its reads bypass the cache once it has written).
      expect(names(await listCategories(writer))).toContain("Racing Spices");
    });
    expect(names(await api.categories.list.query())).toContain("Racing Spices");
  });

  test("a rolled-back write leaves nothing cached: its uncommitted rows never reach the cache", async () => {
    const { tenant, api } = await shop();
    await api.categories.list.query();
    const failed = scopes.asTenant(tenant.businessId, async (writer) => {
      await createCategory(writer, { name: "Ghost Category" });
      expect(names(await listCategories(writer))).toContain("Ghost Category");
      throw new Error("something later in the procedure failed");
    });
    await expect(failed).rejects.toThrow("something later");
    expect(names(await api.categories.list.query())).not.toContain("Ghost Category");
  });

  test("another business's list is its own, cached or not", async () => {
    const a = await shop();
    const b = await shop();
    await a.api.categories.create.mutate({ name: "Only In A" });
    await a.api.categories.list.query();
    expect(names(await b.api.categories.list.query())).not.toContain("Only In A");
    expect(names(await a.api.categories.list.query())).toContain("Only In A");
  });
});

describe(`business settings (${deps.cache.driver})`, () => {
  test("are read from the cache by each new price; a change made behind the API's back shows after an operator's flush", async () => {
    const { tenant, api } = await shop();
    expect((await api.products.create.mutate({ name: "One", priceCents: 100 })).currency).toBe("INR"); // residency "in"
    expect((await allKeys(deps.cache)).some((k) => k.startsWith(`tenant:${tenant.businessId}:`) && k.endsWith(":settings:current"))).toBe(true);
    // No API changes settings yet; an operator edits the row by hand.
    await owner`update business_settings set currency = 'EUR' where business_id = ${tenant.businessId}`;
    expect((await api.products.create.mutate({ name: "Two", priceCents: 100 })).currency).toBe("INR"); // still the cached settings
    const admin = await quickUser(owner, { superAdmin: true });
    await client({ token: admin.token }).admin.cache.flush.mutate({ tenantRef: tenant.slug });
    expect((await api.products.create.mutate({ name: "Three", priceCents: 100 })).currency).toBe("EUR");
  });
});
