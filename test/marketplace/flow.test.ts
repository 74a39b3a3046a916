/** The marketplace end to end: a business sets up its catalogue, two customers shop and book. */
import { describe, expect, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { createTenant, signedInUser, unique } from "../setup/fixtures.ts";
import { testWorker } from "../search/support.ts";
import { waitFor } from "../setup/wait.ts";

describe("marketplace flow", () => {
  test("catalogue, order, booking, and each side sees only its own", async () => {
    const owner = await signedInUser();
    const name = `Flow Shop ${unique()}`;
    const shop = await createTenant(owner, { name });
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
    // The published listing reaches the directory once its indexing job has run.
    await biz.directory.update.mutate({ published: true, city: "Pune" });
    const worker = await testWorker();
    try {
      const hits = await waitFor("the listing in the directory", async () => {
        const found = await client().directory.search.query({ q: name, city: "pune" });
        return found.length > 0 && found;
      });
      expect(hits.map((h) => h.tenantKey)).toEqual([shop.tenantKey]);
    } finally {
      await worker.stop();
    }
  });
});
