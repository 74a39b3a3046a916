/**
 * The shared security matrix for the customer mode. Any signed-in user is a
 * customer; what it names by id is checked against the business it names, so
 * an unknown business (or one that is not open) is NOT_FOUND. Cross-business
 * and cross-customer cases are in test/marketplace/customer-mode.test.ts, where
 * they can be stated precisely.
 */
import { expect, setDefaultTimeout } from "bun:test";
import { inHours, makeProduct, makeService } from "../setup/fixtures.ts";
import { securityMatrix } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

securityMatrix({
  name: "customer.bookings.create",
  kind: "customer",
  ownId: (fx) => makeService(fx.owner, fx.tenant).then((s) => ({ tenantKey: fx.tenant.tenantKey, serviceId: s.id })),
  missingId: { tenantKey: crypto.randomUUID(), serviceId: 1 },
  call: async (c, fx) => {
    const booking = await c.customer.bookings.create.mutate({ ...fx.id, startsAt: inHours(48) });
    expect(booking).toMatchObject({ serviceId: fx.id.serviceId, customerUserId: fx.caller.userId, status: "pending" });
  },
});

securityMatrix({
  name: "customer.bookings.list",
  kind: "customer",
  call: async (c) => expect(await c.customer.bookings.list.query()).toBeArray(),
});

securityMatrix({
  name: "customer.orders.create",
  kind: "customer",
  ownId: (fx) => makeProduct(fx.owner, fx.tenant, { stock: 5 }).then((p) => ({ tenantKey: fx.tenant.tenantKey, productId: p.id })),
  missingId: { tenantKey: crypto.randomUUID(), productId: 1 },
  call: async (c, fx) => {
    const order = await c.customer.orders.create.mutate({ tenantKey: fx.id.tenantKey, items: [{ productId: fx.id.productId, quantity: 1 }] });
    expect(order).toMatchObject({ customerUserId: fx.caller.userId, totalCents: 1000 });
  },
});

securityMatrix({
  name: "customer.orders.list",
  kind: "customer",
  call: async (c) => expect(await c.customer.orders.list.query()).toBeArray(),
});
