/**
 * products.*: create, get, update, delete and cursor pagination, with money as
 * integer cents plus an ISO currency and the stock ledger kept in step with
 * every stock change made here.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { makeCategory, makeProduct, quickUser, shop, stockAndLedger } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

describe("products.create / get", () => {
  test("money is integer cents; the currency defaults to the business's and is upper-cased when given", async () => {
    const { api } = await shop();
    const inr = await api.products.create.mutate({ name: "Saffron", priceCents: 1250 });
    expect(inr).toMatchObject({ priceCents: 1250, currency: "INR", stock: 0, status: "active" });
    const usd = await api.products.create.mutate({ name: "Tea", priceCents: 499, currency: "usd", stock: 7, status: "draft" });
    expect(usd).toMatchObject({ priceCents: 499, currency: "USD", stock: 7, status: "draft" });
    expect(await api.products.get.query({ id: usd.id })).toMatchObject({ id: usd.id, name: "Tea", priceCents: 499, currency: "USD" });
  });

  test("initial stock is written to the ledger, so the ledger sums to the stock from the start", async () => {
    const { api, tenant } = await shop();
    const p = await api.products.create.mutate({ name: "Rice", priceCents: 100, stock: 12 });
    expect(await stockAndLedger(tenant, p.id)).toEqual({ stock: 12, ledger: 12, entries: 1 });
    const none = await api.products.create.mutate({ name: "Air", priceCents: 100 });
    expect(await stockAndLedger(tenant, none.id)).toEqual({ stock: 0, ledger: 0, entries: 0 });
  });

  test("a category of the same business is accepted; another business's is NOT_FOUND", async () => {
    const { owner, tenant, api } = await shop();
    const mine = await makeCategory(owner, tenant);
    expect((await api.products.create.mutate({ name: "A", priceCents: 1, categoryId: mine.id })).categoryId).toBe(mine.id);
    const other = await shop();
    const theirs = await makeCategory(other.owner, other.tenant);
    await expectCode(api.products.create.mutate({ name: "B", priceCents: 1, categoryId: theirs.id }), "NOT_FOUND");
  });
});

describe("products.update", () => {
  test("changes only the fields sent; a stock change is written to the ledger as the difference", async () => {
    const { owner, tenant, api } = await shop();
    const p = await makeProduct(owner, tenant, { name: "Ghee", priceCents: 800, stock: 10, description: "Pure" });
    const updated = await api.products.update.mutate({ id: p.id, priceCents: 850, stock: 4 });
    expect(updated).toMatchObject({ name: "Ghee", description: "Pure", priceCents: 850, stock: 4, currency: "INR" });
    expect(await stockAndLedger(tenant, p.id)).toEqual({ stock: 4, ledger: 4, entries: 2 });
    // Same stock again: nothing to record.
    await api.products.update.mutate({ id: p.id, stock: 4, name: "Desi Ghee" });
    expect(await stockAndLedger(tenant, p.id)).toEqual({ stock: 4, ledger: 4, entries: 2 });
  });

  test("description and category can be cleared with null", async () => {
    const { owner, tenant, api } = await shop();
    const category = await makeCategory(owner, tenant);
    const p = await makeProduct(owner, tenant, { description: "x", categoryId: category.id });
    expect(await api.products.update.mutate({ id: p.id, description: null, categoryId: null })).toMatchObject({ description: null, categoryId: null });
  });

  test("only an id is BAD_REQUEST (nothing to update); a deleted product is NOT_FOUND", async () => {
    const { owner, tenant, api } = await shop();
    const p = await makeProduct(owner, tenant);
    await expectCode(api.products.update.mutate({ id: p.id }), "BAD_REQUEST");
    await api.products.delete.mutate({ id: p.id });
    await expectCode(api.products.update.mutate({ id: p.id, priceCents: 1 }), "NOT_FOUND");
  });
});

describe("products.delete", () => {
  test("a deleted product leaves get, list and the customer catalogue; a second delete is NOT_FOUND", async () => {
    const { owner, tenant, api } = await shop();
    const [keep, gone] = [await makeProduct(owner, tenant, { stock: 5 }), await makeProduct(owner, tenant, { stock: 5 })];
    expect(await api.products.delete.mutate({ id: gone.id })).toEqual({ id: gone.id, deleted: true });
    await expectCode(api.products.get.query({ id: gone.id }), "NOT_FOUND");
    expect((await api.products.list.query({})).items.map((p) => p.id)).toEqual([keep.id]);
    await expectCode(api.products.delete.mutate({ id: gone.id }), "NOT_FOUND");
    const customer = client({ token: (await quickUser()).token });
    await expectCode(customer.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: gone.id, quantity: 1 }] }), "NOT_FOUND");
  });
});

describe("products.list: cursor pagination", () => {
  /** Pages through every product with `limit`, returning the pages' ids. */
  async function allPages(api: Awaited<ReturnType<typeof shop>>["api"], limit: number) {
    const pages: number[][] = [];
    let cursor: number | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = await api.products.list.query({ limit, cursor });
      pages.push(page.items.map((p) => p.id));
      if (page.nextCursor === null) return pages;
      expect(page.nextCursor).toBe(page.items.at(-1)!.id);
      cursor = page.nextCursor;
    }
    throw new Error("pagination never ended");
  }

  test("25 products in pages of 7: 7+7+7+4, newest first, no gaps, no duplicates, no other business's rows", async () => {
    const { owner, tenant, api } = await shop();
    const made: number[] = [];
    for (let i = 0; i < 25; i++) made.push((await makeProduct(owner, tenant)).id);
    const other = await shop();
    await makeProduct(other.owner, other.tenant);

    const pages = await allPages(api, 7);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    expect(pages.flat()).toEqual([...made].reverse());
  });

  test("an exact multiple of the limit ends with nextCursor null, not an empty page", async () => {
    const { owner, tenant, api } = await shop();
    for (let i = 0; i < 10; i++) await makeProduct(owner, tenant);
    expect((await allPages(api, 5)).map((p) => p.length)).toEqual([5, 5]);
    expect((await allPages(api, 10)).map((p) => p.length)).toEqual([10]);
  });

  test("a product deleted between pages is skipped without shifting the rest (keyset, not offset)", async () => {
    const { owner, tenant, api } = await shop();
    const made: number[] = [];
    for (let i = 0; i < 9; i++) made.push((await makeProduct(owner, tenant)).id);
    const first = await api.products.list.query({ limit: 3 });
    const onPageOne = first.items[0]!.id;
    await api.products.delete.mutate({ id: onPageOne }); // an offset-based list would now skip one unseen item
    const rest = await api.products.list.query({ limit: 10, cursor: first.nextCursor! });
    expect([...first.items.map((p) => p.id), ...rest.items.map((p) => p.id)]).toEqual([...made].reverse());
  });

  test("limit defaults to 20 and must be a whole number from 1 to 100", async () => {
    const { owner, tenant, api } = await shop();
    for (let i = 0; i < 21; i++) await makeProduct(owner, tenant);
    const defaults = await api.products.list.query();
    expect(defaults.items).toHaveLength(20);
    expect(defaults.nextCursor).not.toBeNull();
    expect((await api.products.list.query({ limit: 100 })).items).toHaveLength(21);
    expect((await api.products.list.query({ limit: 1 })).items).toHaveLength(1);
    for (const limit of [0, -1, 101, 1.5]) {
      const error = await expectCode(api.products.list.query({ limit }), "BAD_REQUEST");
      expect(error.data?.zodError?.fieldErrors).toHaveProperty("limit");
    }
    for (const cursor of [0, -5, 2.5]) await expectCode(api.products.list.query({ cursor }), "BAD_REQUEST");
  });
});
