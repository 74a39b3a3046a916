/**
 * Hitting each plan limit through the API: FORBIDDEN naming the limit and the
 * usage. A fresh business is on the free plan's trial: 25 products, 2 staff
 * seats, 100 bookings a month. (The request rate, TOO_MANY_REQUESTS, is tested
 * in test/cache/rate-limit.test.ts.)
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner } from "../setup/catalog.ts";
import { createTenant, createUser, signedInUser } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";
import { CUSTOMER_QUOTA_REFUSAL } from "../../src/services/subscriptions/limits.ts";
import { addProducts, addStaff } from "./support.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

async function shop() {
  const user = await signedInUser();
  const tenant = await createTenant(user);
  return { user, tenant, api: client({ token: user.token, tenant: tenant.tenantKey }) };
}

describe("plan limits", () => {
  test("products: the 25th is allowed, the 26th FORBIDDEN with the limit and the count", async () => {
    const { tenant, api } = await shop();
    await addProducts(owner, tenant.businessId, 24);
    await api.products.create.mutate({ name: "Twenty-fifth", priceCents: 100 });
    const error = await expectCode(api.products.create.mutate({ name: "Twenty-sixth", priceCents: 100 }), "FORBIDDEN");
    expect(error.message).toBe("Plan limit reached: the Free plan allows 25 products; this business has 25");
    // Deleting one frees a slot.
    const [first] = (await api.products.list.query({ limit: 1 })).items;
    await api.products.delete.mutate({ id: first!.id });
    await api.products.create.mutate({ name: "Replacement", priceCents: 100 });
  });

  test("staff seats: a third member is FORBIDDEN on the free plan", async () => {
    const { tenant, api } = await shop();
    await addStaff(owner, tenant.businessId, 2);
    const newcomer = await createUser();
    const error = await expectCode(api.members.invite.mutate({ email: newcomer.email, role: "staff" }), "FORBIDDEN");
    expect(error.message).toBe("Plan limit reached: the Free plan allows 2 staff seats; this business has 2");
  });

  test("bookings per month: counted per booking, the 101st of the month FORBIDDEN", async () => {
    const { tenant, api } = await shop();
    const service = await api.services.create.mutate({ name: "Threading", durationMinutes: 15, priceCents: 200 });
    const customer = client({ token: (await signedInUser()).token });
    const book = (day: number) =>
      customer.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + day * 86_400_000) });
    await book(1);
    const counter = async () => [...(await owner`select value from usage_counters where business_id = ${tenant.businessId} and metric = 'bookings'`)];
    expect(await counter()).toEqual([{ value: "1" }]);
    await owner`update usage_counters set value = 99 where business_id = ${tenant.businessId} and metric = 'bookings'`; // a busy month
    await book(2);
    const error = await expectCode(book(3), "FORBIDDEN");
    // The customer is refused without the business's plan and usage; its members see both below.
    expect(error.message).toBe(CUSTOMER_QUOTA_REFUSAL);
    expect(await counter()).toEqual([{ value: "100" }]);
    const current = await api.subscriptions.current.query();
    expect(current).toMatchObject({ limits: { bookingsPerMonth: 100 }, usage: { bookingsThisMonth: 100 } });
  });
});

describe("the rate limit's cost", () => {
  test("the plan lookup on every tenant request stays inlined (app.effective_plan: SQL, STABLE, no SECURITY DEFINER, no SET)", async () => {
    const [fn] = await owner`
      select prosecdef, proconfig, proretset, provolatile, proisstrict, l.lanname
        from pg_proc p join pg_language l on l.oid = p.prolang
       where p.oid = 'app.effective_plan(bigint, timestamptz)'::regprocedure`;
    expect(fn).toEqual({ prosecdef: false, proconfig: null, proretset: true, provolatile: "s", proisstrict: false, lanname: "sql" });
    const plan = await owner.unsafe(`
      explain select p.requests_per_minute from business_tenants t
        left join lateral app.effective_plan(t.id, now()) e on true
        left join subscription_plans p on p.id = e.plan_id where t.id = 1`);
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).not.toContain("Function Scan");
  });
});
