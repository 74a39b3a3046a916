/**
 * Plan limits as the marketplace applies them (sql/006_subscription_plans.sql):
 * the free plan allows 25 products, 2 staff seats and 100 bookings a month.
 * Exceeding one is FORBIDDEN with a message naming the limit and the usage, and
 * the refused call writes nothing. Counted limits must also hold when the calls
 * that would pass them arrive at the same time.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { usageCounters } from "../../src/db/schema/index.ts";
import { CUSTOMER_QUOTA_REFUSAL } from "../../src/services/subscriptions/limits.ts";
import { client, expectCode } from "../setup/client.ts";
import { scopes } from "../setup/harness.ts";
import { countRows, inHours, makeProduct, makeService, member, quickUser, setTenantStatus, shop, snapshot } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

/** Fills a business up to `n` products, one after the other (the limit is what is under test, not the fixture). */
async function fill(owner: { userId: number }, tenant: { businessId: number }, n: number) {
  for (let i = 0; i < n; i++) await makeProduct(owner, tenant);
}

describe("products: the free plan allows 25", () => {
  test("the 26th product is FORBIDDEN, naming the limit and the usage; nothing is written", async () => {
    const { owner, tenant, api } = await shop();
    await fill(owner, tenant, 24);
    await api.products.create.mutate({ name: "The 25th", priceCents: 100 }); // the last one allowed, through the API
    const before = await snapshot(tenant, ["products", "audit_log", "inventory_movements"]);
    const error = await expectCode(api.products.create.mutate({ name: "The 26th", priceCents: 100, stock: 3 }), "FORBIDDEN");
    expect(error.message).toMatch(/Free plan allows 25 products/);
    expect(error.message).toMatch(/has 25/);
    expect(await snapshot(tenant, ["products", "audit_log", "inventory_movements"])).toEqual(before);
  });

  test("a deleted product frees its slot; drafts count like any other product", async () => {
    const { owner, tenant, api } = await shop();
    await fill(owner, tenant, 24);
    const draft = await api.products.create.mutate({ name: "Draft", priceCents: 100, status: "draft" });
    await expectCode(api.products.create.mutate({ name: "One too many", priceCents: 100 }), "FORBIDDEN");
    await api.products.delete.mutate({ id: draft.id });
    await api.products.create.mutate({ name: "Fits again", priceCents: 100 });
  });

  test("10 concurrent creates with 20 products present: exactly 5 succeed, never more than 25", async () => {
    const { owner, tenant, api } = await shop();
    await fill(owner, tenant, 20);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => api.products.create.mutate({ name: `Rush ${i}`, priceCents: 100 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of results) if (r.status === "rejected") await expectCode(Promise.reject(r.reason), "FORBIDDEN");
    expect(await countRows(tenant, "products")).toBe(25);
  });

  test("the limit follows the plan: a standard-plan business may have a 26th product", async () => {
    const owner = await quickUser();
    const created = await client({ token: owner.token }).tenants.provision.mutate({ name: "Standard Shop", industryType: "retail", subscriptionPlanId: "standard" });
    await setTenantStatus(created.businessId, "active");
    await fill(owner, created, 25);
    await client({ token: owner.token, tenant: created.tenantKey }).products.create.mutate({ name: "The 26th", priceCents: 100 });
    expect(await countRows(created, "products")).toBe(26);
  });
});

describe("staff seats: the free plan allows 2", () => {
  test("a 3rd staff member is FORBIDDEN, naming the limit; removing one frees a seat", async () => {
    const { tenant, api } = await shop();
    const [a, b, c] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    await api.members.invite.mutate({ email: a.email, role: "manager" });
    await api.members.invite.mutate({ email: b.email, role: "staff" });
    const before = await snapshot(tenant, ["business_access", "audit_log"]);
    const error = await expectCode(api.members.invite.mutate({ email: c.email, role: "staff" }), "FORBIDDEN");
    expect(error.message).toMatch(/Free plan allows 2 staff seats; this business has 2/);
    // Re-inviting someone who already has a seat is a CONFLICT (already a member), not a misleading plan-limit refusal.
    await expectCode(api.members.invite.mutate({ email: b.email, role: "staff" }), "CONFLICT");
    expect(await snapshot(tenant, ["business_access", "audit_log"])).toEqual(before);

    await api.members.remove.mutate({ userId: b.userId });
    expect((await api.members.invite.mutate({ email: c.email, role: "staff" })).role).toBe("staff");
  });

  test("8 concurrent invites into an empty business: exactly 2 succeed", async () => {
    const { tenant, api } = await shop();
    const people = await Promise.all(Array.from({ length: 8 }, () => quickUser()));
    const results = await Promise.allSettled(people.map((p) => api.members.invite.mutate({ email: p.email, role: "staff" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results) if (r.status === "rejected") await expectCode(Promise.reject(r.reason), "FORBIDDEN");
    expect(await countRows(tenant, "business_access")).toBe(3); // the owner and two seats
  });

  test("a manager inviting is held to the same limit (the manager takes a seat)", async () => {
    const { tenant } = await shop();
    const manager = await member(tenant, "manager");
    const api = client({ token: manager.token, tenant: tenant.tenantKey });
    await api.members.invite.mutate({ email: (await quickUser()).email, role: "staff" });
    await expectCode(api.members.invite.mutate({ email: (await quickUser()).email, role: "staff" }), "FORBIDDEN");
  });
});

describe("bookings: the free plan allows 100 a month", () => {
  test("the 101st booking this month is FORBIDDEN, without the business's plan or usage; no booking is written", async () => {
    const { owner, tenant } = await shop();
    const service = await makeService(owner, tenant);
    const now = new Date();
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    // 99 bookings already counted this month (written as the business: usage_counters is a tenant table).
    await scopes.asTenant(tenant.businessId, (s) => s.db.insert(usageCounters).values({ businessId: tenant.businessId, metric: "bookings", periodStart, value: 99 }));
    const customer = client({ token: (await quickUser()).token });
    await customer.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: inHours(30) });
    const error = await expectCode(customer.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: inHours(31) }), "FORBIDDEN");
    // The plan and its numbers are the business's affairs, not the customer's.
    expect(error.message).toBe(CUSTOMER_QUOTA_REFUSAL);
    expect(error.message).not.toMatch(/free|plan|100|99/i);
    expect(await countRows(tenant, "bookings")).toBe(1);
  });
});
