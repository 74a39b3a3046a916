/**
 * The customer mode: any signed-in user books and orders with any active
 * business and sees only its own bookings and orders, across businesses. A
 * business sees only what was booked or ordered with it. A business that is not
 * open for trade (pending, suspended, closed) or does not exist is NOT_FOUND, as
 * is an id of one business named under another business's key.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { countRows, createTenant, makeBooking, makeOrder, makeProduct, makeService, quickUser, setTenantStatus, shop, unique } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

describe("customers see their own, across businesses", () => {
  test("two customers, two businesses: each customer sees exactly its own bookings and orders; each business only its own", async () => {
    const [a, b] = [await shop(), await shop()];
    const [serviceA, serviceB] = [await makeService(a.owner, a.tenant), await makeService(b.owner, b.tenant)];
    const [productA, productB] = [await makeProduct(a.owner, a.tenant, { stock: 9 }), await makeProduct(b.owner, b.tenant, { stock: 9, priceCents: 300 })];
    const [alice, bob] = [await quickUser(), await quickUser()];
    const [aliceApi, bobApi] = [client({ token: alice.token }), client({ token: bob.token })];

    const aliceBookingA = await aliceApi.customer.bookings.create.mutate({ tenantKey: a.tenant.tenantKey, serviceId: serviceA.id, startsAt: new Date(Date.now() + 86_400_000) });
    // By slug works as well as by tenantKey.
    const aliceBookingB = await aliceApi.customer.bookings.create.mutate({ tenantKey: b.tenant.slug, serviceId: serviceB.id, startsAt: new Date(Date.now() + 2 * 86_400_000) });
    const aliceOrderA = await aliceApi.customer.orders.create.mutate({ tenantKey: a.tenant.tenantKey, items: [{ productId: productA.id, quantity: 1 }] });
    const aliceOrderB = await aliceApi.customer.orders.create.mutate({ tenantKey: b.tenant.slug, items: [{ productId: productB.id, quantity: 2 }] });
    const bobBookingA = await makeBooking(bob, a.tenant, { serviceId: serviceA.id });
    const bobOrderB = await makeOrder(bob, b.tenant, [{ productId: productB.id, quantity: 1 }]);

    const aliceBookings = await aliceApi.customer.bookings.list.query();
    expect(aliceBookings.map((x) => x.id).sort()).toEqual([aliceBookingA.id, aliceBookingB.id].sort());
    expect(aliceBookings.map((x) => x.tenantKey).sort()).toEqual([a.tenant.tenantKey, b.tenant.tenantKey].sort());
    const aliceOrders = await aliceApi.customer.orders.list.query();
    expect(aliceOrders.map((x) => x.id).sort()).toEqual([aliceOrderA.id, aliceOrderB.id].sort());
    expect(aliceOrders.find((o) => o.id === aliceOrderB.id)).toMatchObject({ tenantKey: b.tenant.tenantKey, totalCents: 600, items: [{ productId: productB.id, quantity: 2, unitPriceCents: 300 }] });

    expect((await bobApi.customer.bookings.list.query()).map((x) => x.id)).toEqual([bobBookingA.id]);
    expect((await bobApi.customer.orders.list.query()).map((x) => x.id)).toEqual([bobOrderB.id]);
    const carol = client({ token: (await quickUser()).token });
    expect(await carol.customer.bookings.list.query()).toEqual([]);
    expect(await carol.customer.orders.list.query()).toEqual([]);

    expect((await a.api.bookings.list.query()).map((x) => x.id).sort()).toEqual([aliceBookingA.id, bobBookingA.id].sort());
    expect((await b.api.bookings.list.query()).map((x) => x.id)).toEqual([aliceBookingB.id]);
    expect((await a.api.orders.list.query()).map((x) => x.id)).toEqual([aliceOrderA.id]);
    expect((await b.api.orders.list.query()).map((x) => x.id).sort()).toEqual([aliceOrderB.id, bobOrderB.id].sort());
  });

  test("a business owner shopping elsewhere is just a customer there: its own business's bookings stay out of its customer list", async () => {
    const mine = await shop();
    const theirs = await shop();
    const service = await makeService(theirs.owner, theirs.tenant);
    await makeBooking(await quickUser(), mine.tenant, { serviceId: (await makeService(mine.owner, mine.tenant)).id });
    const booked = await makeBooking(mine.owner, theirs.tenant, { serviceId: service.id });
    expect((await client({ token: mine.owner.token }).customer.bookings.list.query()).map((x) => x.id)).toEqual([booked.id]);
  });
});

describe("only open businesses can be booked and ordered from", () => {
  for (const status of ["suspended", "pending", "closed"] as const) {
    test(`a ${status} business is NOT_FOUND for bookings and orders, and nothing is written`, async () => {
      const { owner, tenant } = await shop();
      const service = await makeService(owner, tenant);
      const product = await makeProduct(owner, tenant, { stock: 5 });
      await setTenantStatus(tenant.businessId, status);
      const api = client({ token: (await quickUser()).token });
      for (const tenantKey of [tenant.tenantKey, tenant.slug]) {
        const booking = await expectCode(api.customer.bookings.create.mutate({ tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 86_400_000) }), "NOT_FOUND");
        expect(booking.message).toBe("Business not found"); // the same answer as for a business that never existed
        await expectCode(api.customer.orders.create.mutate({ tenantKey, items: [{ productId: product.id, quantity: 1 }] }), "NOT_FOUND");
      }
      await setTenantStatus(tenant.businessId, "active"); // to count its rows as the business again
      expect({ bookings: await countRows(tenant, "bookings"), orders: await countRows(tenant, "orders"), customers: await countRows(tenant, "customers") }).toEqual({ bookings: 0, orders: 0, customers: 0 });
      expect((await makeProduct(owner, tenant)).id).toBeGreaterThan(0);
    });
  }

  test("an unknown tenantKey or slug is NOT_FOUND; a malformed one is BAD_REQUEST", async () => {
    const api = client({ token: (await quickUser()).token });
    for (const tenantKey of [crypto.randomUUID(), unique("no-such-shop-")]) {
      await expectCode(api.customer.bookings.create.mutate({ tenantKey, serviceId: 1, startsAt: new Date(Date.now() + 86_400_000) }), "NOT_FOUND");
      await expectCode(api.customer.orders.create.mutate({ tenantKey, items: [{ productId: 1, quantity: 1 }] }), "NOT_FOUND");
    }
    for (const tenantKey of ["Not A Slug!", ""]) {
      await expectCode(api.customer.orders.create.mutate({ tenantKey, items: [{ productId: 1, quantity: 1 }] }), "BAD_REQUEST");
    }
  });

  test("a service or product of business B named under business A's key is NOT_FOUND", async () => {
    const a = await shop();
    const b = await shop();
    await makeService(a.owner, a.tenant);
    await makeProduct(a.owner, a.tenant, { stock: 5 });
    const serviceB = await makeService(b.owner, b.tenant);
    const productB = await makeProduct(b.owner, b.tenant, { stock: 5 });
    const api = client({ token: (await quickUser()).token });
    await expectCode(api.customer.bookings.create.mutate({ tenantKey: a.tenant.tenantKey, serviceId: serviceB.id, startsAt: new Date(Date.now() + 86_400_000) }), "NOT_FOUND");
    await expectCode(api.customer.orders.create.mutate({ tenantKey: a.tenant.tenantKey, items: [{ productId: productB.id, quantity: 1 }] }), "NOT_FOUND");
    expect(await countRows(a.tenant, "orders")).toBe(0);
    expect((await stockOf(b, productB.id))).toBe(5);
  });

  test("a business resumed after suspension can be booked again", async () => {
    const owner = await quickUser();
    const tenant = await createTenant(owner, { status: "suspended" });
    const service = await makeService(owner, tenant);
    const api = client({ token: (await quickUser()).token });
    const input = { tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 86_400_000) };
    await expectCode(api.customer.bookings.create.mutate(input), "NOT_FOUND");
    await setTenantStatus(tenant.businessId, "active");
    expect((await api.customer.bookings.create.mutate(input)).status).toBe("pending");
  });
});

async function stockOf(s: Awaited<ReturnType<typeof shop>>, productId: number) {
  return (await s.api.products.get.query({ id: productId })).stock;
}
