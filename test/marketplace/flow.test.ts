/** The marketplace end to end: a business sets up its catalogue, two customers shop and book. */
import { describe, expect, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { createTenant, signedInUser } from "../setup/fixtures.ts";

describe("marketplace flow", () => {
  test("catalogue, order, booking, and each side sees only its own", async () => {
    const owner = await signedInUser();
    const shop = await createTenant(owner);
    const biz = client({ token: owner.token, tenant: shop.tenantKey });
    const category = await biz.categories.create.mutate({ name: "Spices" });
    const product = await biz.products.create.mutate({ name: "Saffron", priceCents: 1250, stock: 3, categoryId: category.id });
    expect(product.currency).toBe("INR");
    const service = await biz.services.create.mutate({ name: "Haircut", durationMinutes: 30, priceCents: 500 });

    const alice = await signedInUser();
    const bob = await signedInUser();
    const order = await client({ token: alice.token }).customer.orders.create.mutate({
      tenantKey: shop.tenantKey,
      items: [{ productId: product.id, quantity: 2 }],
    });
    expect(order.totalCents).toBe(2500);
    await expectCode(
      client({ token: bob.token }).customer.orders.create.mutate({ tenantKey: shop.tenantKey, items: [{ productId: product.id, quantity: 2 }] }),
      "CONFLICT",
    );
    expect((await biz.products.get.query({ id: product.id })).stock).toBe(1);

    const startsAt = new Date(Date.now() + 86_400_000);
    const booking = await client({ token: bob.token }).customer.bookings.create.mutate({
      tenantKey: shop.tenantKey,
      serviceId: service.id,
      startsAt,
      staffUserId: owner.userId,
    });
    expect(booking.endsAt.getTime() - booking.startsAt.getTime()).toBe(30 * 60_000);
    await expectCode(
      client({ token: alice.token }).customer.bookings.create.mutate({ tenantKey: shop.tenantKey, serviceId: service.id, startsAt, staffUserId: owner.userId }),
      "CONFLICT",
    );

    expect((await client({ token: alice.token }).customer.orders.list.query()).map((o) => o.id)).toEqual([order.id]);
    expect(await client({ token: alice.token }).customer.bookings.list.query()).toEqual([]);
    expect((await client({ token: bob.token }).customer.bookings.list.query()).map((b) => b.id)).toEqual([booking.id]);
    expect((await biz.bookings.list.query()).map((b) => b.id)).toEqual([booking.id]);
    const confirmed = await biz.bookings.updateStatus.mutate({ id: booking.id, status: "confirmed" });
    expect(confirmed.status).toBe("confirmed");
    await expectCode(biz.bookings.updateStatus.mutate({ id: booking.id, status: "pending" }), "BAD_REQUEST");

    const page = await biz.products.list.query({ limit: 10 });
    expect(page.items.map((p) => p.id)).toEqual([product.id]);
    await biz.directory.update.mutate({ published: true, city: "Pune" });
    const hits = await client().directory.search.query({ city: "pune" });
    expect(hits.some((h) => h.tenantKey === shop.tenantKey)).toBe(true);
  });
});
