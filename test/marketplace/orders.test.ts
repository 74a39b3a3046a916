/**
 * Orders: stock is taken atomically by app.take_stock, never goes negative, and
 * every change lands in the inventory_movements ledger, so the ledger always sums
 * to the stock. An order that cannot be served in full fails whole with CONFLICT.
 * Money is integer cents in one currency per order; prices are copied at order time.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { auditRows, makeOrder, makeProduct, quickUser, shop, snapshot, stockAndLedger } from "../setup/fixtures.ts";

setDefaultTimeout(120_000);

const ORDER_TABLES = ["orders", "order_items", "inventory_movements", "audit_log", "customers"];

describe("customer.orders.create", () => {
  test("the total is the sum of unit price × quantity in integer cents; stock and ledger move together", async () => {
    const { owner, tenant } = await shop();
    const tea = await makeProduct(owner, tenant, { priceCents: 1999, stock: 10 });
    const rice = await makeProduct(owner, tenant, { priceCents: 350, stock: 3 });
    const user = await quickUser();
    const order = await client({ token: user.token }).customer.orders.create.mutate({
      tenantKey: tenant.tenantKey,
      // The same product twice becomes one line of quantity 3.
      items: [{ productId: tea.id, quantity: 2 }, { productId: rice.id, quantity: 3 }, { productId: tea.id, quantity: 1 }],
    });
    expect(order).toMatchObject({ businessId: tenant.businessId, customerUserId: user.userId, status: "pending", totalCents: 3 * 1999 + 3 * 350, currency: "INR" });
    expect(Number.isInteger(order.totalCents)).toBe(true);
    expect(order.items).toEqual([{ productId: tea.id, quantity: 3 }, { productId: rice.id, quantity: 3 }].sort((a, b) => a.productId - b.productId));
    expect(await stockAndLedger(tenant, tea.id)).toEqual({ stock: 7, ledger: 7, entries: 2 });
    expect(await stockAndLedger(tenant, rice.id)).toEqual({ stock: 0, ledger: 0, entries: 2 });
  });

  test("prices are copied: a later price change does not alter a placed order", async () => {
    const { owner, tenant, api } = await shop();
    const p = await makeProduct(owner, tenant, { priceCents: 500, stock: 5 });
    const user = await quickUser();
    await makeOrder(user, tenant, [{ productId: p.id, quantity: 2 }]);
    await api.products.update.mutate({ id: p.id, priceCents: 9999 });
    const [listed] = await client({ token: user.token }).customer.orders.list.query();
    expect(listed).toMatchObject({ totalCents: 1000, items: [{ productId: p.id, quantity: 2, unitPriceCents: 500 }] });
  });

  test("not enough stock: CONFLICT naming the product, and the whole order is undone (earlier lines too)", async () => {
    const { owner, tenant } = await shop();
    const plenty = await makeProduct(owner, tenant, { stock: 5 });
    const scarce = await makeProduct(owner, tenant, { stock: 1 });
    const api = client({ token: (await quickUser()).token });
    const before = await snapshot(tenant, ORDER_TABLES);
    // Lines are taken in product-id order, so `plenty` (made first) is taken before `scarce` fails.
    const error = await expectCode(
      api.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: plenty.id, quantity: 2 }, { productId: scarce.id, quantity: 2 }] }),
      "CONFLICT",
    );
    expect(error.message).toBe(`Not enough stock for product ${scarce.id}; the order was not placed`);
    expect(await snapshot(tenant, ORDER_TABLES)).toEqual(before);
    expect(await stockAndLedger(tenant, plenty.id)).toEqual({ stock: 5, ledger: 5, entries: 1 });
    expect(await stockAndLedger(tenant, scarce.id)).toEqual({ stock: 1, ledger: 1, entries: 1 });
  });

  test("drafts, archived and unknown products are NOT_FOUND; mixed currencies are BAD_REQUEST; nothing is written", async () => {
    const { owner, tenant, api: biz } = await shop();
    const draft = await makeProduct(owner, tenant, { stock: 5, status: "draft" });
    const archived = await makeProduct(owner, tenant, { stock: 5 });
    await biz.products.update.mutate({ id: archived.id, status: "archived" });
    const inr = await makeProduct(owner, tenant, { stock: 5 });
    const usd = await makeProduct(owner, tenant, { stock: 5, currency: "USD" });
    const api = client({ token: (await quickUser()).token });
    const before = await snapshot(tenant, ORDER_TABLES);
    for (const productId of [draft.id, archived.id, 2_147_483_647]) {
      await expectCode(api.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId, quantity: 1 }] }), "NOT_FOUND");
    }
    const mixed = await expectCode(
      api.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: inr.id, quantity: 1 }, { productId: usd.id, quantity: 1 }] }),
      "BAD_REQUEST",
    );
    expect(mixed.message).toMatch(/one currency/);
    expect(await snapshot(tenant, ORDER_TABLES)).toEqual(before);
  });

  test("a total beyond what an order can hold is BAD_REQUEST with a clear message, not a 500", async () => {
    const { owner, tenant } = await shop();
    const gold = await makeProduct(owner, tenant, { priceCents: 100_000_000, stock: 1000 });
    const before = await snapshot(tenant, ORDER_TABLES);
    const error = await expectCode(
      client({ token: (await quickUser()).token }).customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: gold.id, quantity: 1000 }] }),
      "BAD_REQUEST",
    );
    expect(error.message).toMatch(/more than one order can hold/);
    expect(await snapshot(tenant, ORDER_TABLES)).toEqual(before);
    expect(await stockAndLedger(tenant, gold.id)).toEqual({ stock: 1000, ledger: 1000, entries: 1 });
  });

  test("50 concurrent orders of 1 against stock 10: exactly 10 succeed, stock ends at 0, the ledger sums to it", async () => {
    const { owner, tenant } = await shop();
    const product = await makeProduct(owner, tenant, { priceCents: 250, stock: 10 });
    const buyers = await Promise.all(Array.from({ length: 50 }, () => quickUser()));
    const results = await Promise.allSettled(
      buyers.map((b) => client({ token: b.token }).customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: product.id, quantity: 1 }] })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    for (const r of results) if (r.status === "rejected") await expectCode(Promise.reject(r.reason), "CONFLICT");

    expect(await stockAndLedger(tenant, product.id)).toEqual({ stock: 0, ledger: 0, entries: 11 });
    const counts = await snapshot(tenant, ["orders", "order_items", "customers"]);
    expect(counts).toEqual({ orders: 10, order_items: 10, customers: 10 });
    expect(await auditRows(tenant, { action: "order.create" })).toHaveLength(10);
  });
});

describe("orders.list (the business's view)", () => {
  test("a business lists the orders placed with it, newest first, and none placed with another", async () => {
    const a = await shop();
    const b = await shop();
    const pa = await makeProduct(a.owner, a.tenant, { stock: 9 });
    const pb = await makeProduct(b.owner, b.tenant, { stock: 9 });
    const user = await quickUser();
    const first = await makeOrder(user, a.tenant, [{ productId: pa.id, quantity: 1 }]);
    await makeOrder(user, b.tenant, [{ productId: pb.id, quantity: 1 }]);
    const second = await makeOrder(await quickUser(), a.tenant, [{ productId: pa.id, quantity: 2 }]);

    const listed = await a.api.orders.list.query();
    expect(listed.map((o) => o.id)).toEqual([second.id, first.id]);
    expect(listed.every((o) => o.businessId === a.tenant.businessId)).toBe(true);
    expect(listed.map((o) => o.totalCents)).toEqual([2000, 1000]);
  });
});
