/**
 * No customer can block a business through the API: bookings only within the
 * business's horizon (365 days by default), at most 10 open bookings and 5
 * unpaid orders per customer per business, and a business's plan and usage are
 * never shown to customers (a neutral refusal; members see the numbers).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import { businessSettings, usageCounters } from "../../src/db/schema/index.ts";
import { client, expectCode } from "../setup/client.ts";
import { scopes } from "../setup/harness.ts";
import { countRows, inHours, makeBooking, makeOrder, makeProduct, makeService, quickUser, shop, snapshot } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);
const DAY = 86_400_000;

describe("the booking horizon", () => {
  test("a booking 364 days ahead is taken; 366 days ahead → BAD_REQUEST naming the horizon, and nothing is written", async () => {
    const { owner, tenant } = await shop();
    const service = await makeService(owner, tenant);
    const api = client({ token: (await quickUser()).token });
    await api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 364 * DAY) });
    const before = await snapshot(tenant, ["bookings", "audit_log", "usage_counters"]);
    const error = await expectCode(api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 366 * DAY) }), "BAD_REQUEST");
    expect(error.message).toContain("365 days ahead");
    expect(await snapshot(tenant, ["bookings", "audit_log", "usage_counters"])).toEqual(before);
  });

  test("the horizon is the business's own: with 30 days, 31 days ahead is refused", async () => {
    const { owner, tenant } = await shop();
    const service = await makeService(owner, tenant);
    await scopes.asTenant(tenant.businessId, (s) => s.db.update(businessSettings).set({ bookingHorizonDays: 30 }).where(sql`${businessSettings.businessId} = ${tenant.businessId}`));
    const api = client({ token: (await quickUser()).token });
    await expectCode(api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 31 * DAY) }), "BAD_REQUEST");
    await api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 29 * DAY) });
  });
});

describe("per-customer caps", () => {
  test("a customer holds at most 10 open bookings with one business; another customer and another business are unaffected", async () => {
    const [a, b] = [await shop(), await shop()];
    const [serviceA, serviceB] = [await makeService(a.owner, a.tenant), await makeService(b.owner, b.tenant)];
    const hoarder = await quickUser();
    for (let i = 0; i < 10; i++) await makeBooking(hoarder, a.tenant, { serviceId: serviceA.id, startsAt: inHours(24 + i) });
    const api = client({ token: hoarder.token });
    const error = await expectCode(api.customer.bookings.create.mutate({ tenantKey: a.tenant.tenantKey, serviceId: serviceA.id, startsAt: inHours(48) }), "FORBIDDEN");
    expect(error.message).toContain("10 open bookings");
    await api.customer.bookings.create.mutate({ tenantKey: b.tenant.tenantKey, serviceId: serviceB.id, startsAt: inHours(48) });
    await makeBooking(await quickUser(), a.tenant, { serviceId: serviceA.id });
    expect(await countRows(a.tenant, "bookings")).toBe(11);
  });

  test("10 concurrent bookings by a customer holding 8: exactly 2 are taken", async () => {
    const { owner, tenant } = await shop();
    const service = await makeService(owner, tenant);
    const customer = await quickUser();
    for (let i = 0; i < 8; i++) await makeBooking(customer, tenant, { serviceId: service.id, startsAt: inHours(24 + i) });
    const api = client({ token: customer.token });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: inHours(100 + i) })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(await countRows(tenant, "bookings")).toBe(10);
  });

  test("a customer holds at most 5 unpaid orders with one business, and a refused order takes no stock", async () => {
    const { owner, tenant } = await shop();
    const product = await makeProduct(owner, tenant, { stock: 100 });
    const customer = await quickUser();
    for (let i = 0; i < 5; i++) await makeOrder(customer, tenant, [{ productId: product.id, quantity: 1 }]);
    const error = await expectCode(
      client({ token: customer.token }).customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: product.id, quantity: 90 }] }),
      "FORBIDDEN",
    );
    expect(error.message).toContain("5 unpaid orders");
    await makeOrder(await quickUser(), tenant, [{ productId: product.id, quantity: 90 }]); // the stock was still there for someone else
  });
});

describe("a business's plan is its members' business", () => {
  test("a customer refused by the monthly allowance learns nothing of the plan or the usage; the owner sees both", async () => {
    const { owner, tenant, api: ownerApi } = await shop();
    const service = await makeService(owner, tenant);
    const periodStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
    await scopes.asTenant(tenant.businessId, (s) => s.db.insert(usageCounters).values({ businessId: tenant.businessId, metric: "bookings", periodStart, value: 100 }));
    const error = await expectCode(
      client({ token: (await quickUser()).token }).customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: inHours(30) }),
      "FORBIDDEN",
    );
    expect(error.message).toBe("This business is not taking more bookings this month");
    expect(error.message).not.toMatch(/\d|free|plan/i);
    const current = await ownerApi.subscriptions.current.query();
    expect({ used: current.usage.bookingsThisMonth, limit: current.limits.bookingsPerMonth }).toEqual({ used: 100, limit: 100 });
  });
});
