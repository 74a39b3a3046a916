/**
 * subscriptions.changePlan and cancel at the service level, with the clock
 * injected: upgrade now with proration, downgrade and cycle changes at the
 * period end (refused over the new plan's limits), cancellation at period end.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectOwner } from "../setup/catalog.ts";
import { createTenant, createUser, type TestTenant, type TestUser } from "../setup/fixtures.ts";
import { ownerUrl, scopes } from "../setup/harness.ts";
import { applyDueSubscriptionChanges } from "../../src/services/subscriptions/apply-due.ts";
import { cancelSubscription } from "../../src/services/subscriptions/cancel.ts";
import { changePlan } from "../../src/services/subscriptions/change-plan.ts";
import { effectivePlan } from "../../src/services/subscriptions/limits.ts";
import type { ChangePlanInput } from "../../src/services/subscriptions/schemas.ts";
import { addProducts, addStaff, at, invoicesOf, setSubscription, subscriptionRow } from "./support.ts";

setDefaultTimeout(30_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

let user: TestUser;
beforeAll(async () => {
  user = await createUser();
});

const asOwner = <T>(t: TestTenant, fn: Parameters<typeof scopes.asTenant<T>>[1]) => scopes.asTenant(t.businessId, fn, { userId: user.userId });
const change = (t: TestTenant, input: ChangePlanInput, now: Date) => asOwner(t, (s) => changePlan(s, input, now));
const effectiveAt = (t: TestTenant, now: Date) => asOwner(t, (s) => effectivePlan(s.db, t.businessId, now)).then((p) => p.id);

async function tenantOn(planId: string, start: string, end: string, billingCycle: "monthly" | "yearly" = "monthly") {
  const tenant = await createTenant(user);
  await setSubscription(owner, tenant.businessId, { planId, status: "active", billingCycle, start: at(start), end: at(end) });
  return tenant;
}

describe("upgrade: now, prorated", () => {
  test("standard → professional halfway through January: credit 981, charge 2529, invoice 1548", async () => {
    const t = await tenantOn("standard", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    const result = await change(t, { planId: "professional" }, at("2030-01-16T00:00:00Z"));
    // 16 of 31 days left: 1900 × 16/31 = 980.6 → 981 credit; 4900 × 16/31 = 2529.0 → 2529 charge.
    expect(result).toMatchObject({ change: "upgraded", invoice: { kind: "proration", amountCents: 1548, currency: "USD" } });
    expect(result.invoice!.lines).toEqual([
      { description: expect.stringContaining("Unused time on Standard"), amountCents: -981 },
      { description: expect.stringContaining("Remaining time on Professional"), amountCents: 2529 },
    ]);
    const [invoice] = await invoicesOf(owner, t.businessId);
    expect(invoice).toMatchObject({ kind: "proration", amount_cents: 1548, status: "issued", number: expect.stringMatching(/^PRO-20300116-/) });
    const sub = await subscriptionRow(owner, t.businessId);
    expect(sub).toMatchObject({ plan_id: "professional", current_period_end: at("2030-02-01T00:00:00Z"), pending_plan_id: null });
    expect(await effectiveAt(t, at("2030-01-16T00:00:01Z"))).toBe("professional");
  });

  test("yearly professional → enterprise with 181 of 365 days left: credit 24299, charge 98682", async () => {
    const t = await tenantOn("professional", "2030-03-01T00:00:00Z", "2031-03-01T00:00:00Z", "yearly");
    const result = await change(t, { planId: "enterprise" }, at("2030-09-01T00:00:00Z"));
    expect(result.invoice!.lines.map((l) => l.amountCents)).toEqual([-24299, 98682]);
    expect(result.invoice!.amountCents).toBe(98682 - 24299);
  });

  test("at the first instant of the period the whole price difference is due; an upgrade with a new cycle keeps the cycle until the period end", async () => {
    const t = await tenantOn("standard", "2030-05-01T00:00:00Z", "2030-06-01T00:00:00Z");
    const result = await change(t, { planId: "professional", billingCycle: "yearly" }, at("2030-05-01T00:00:00Z"));
    expect(result.invoice!.amountCents).toBe(4900 - 1900);
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ plan_id: "professional", billing_cycle: "monthly", pending_billing_cycle: "yearly" });
  });
});

describe("downgrade and cycle change: at the period end", () => {
  test("professional → standard is scheduled, keeps professional until the end, then renews on standard with an invoice", async () => {
    const t = await tenantOn("professional", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    const result = await change(t, { planId: "standard" }, at("2030-01-10T00:00:00Z"));
    expect(result).toMatchObject({ change: "downgrade_scheduled", effectiveAt: at("2030-02-01T00:00:00Z"), invoice: null });
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ plan_id: "professional", pending_plan_id: "standard" });
    expect(await effectiveAt(t, at("2030-01-31T23:59:59Z"))).toBe("professional");
    expect(await invoicesOf(owner, t.businessId)).toEqual([]);

    await scopes.asSuperAdmin((s) => applyDueSubscriptionChanges(s, { now: at("2030-02-02T00:00:00Z"), businessIds: [t.businessId] }));
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({
      plan_id: "standard",
      pending_plan_id: null,
      current_period_start: at("2030-02-01T00:00:00Z"),
      current_period_end: at("2030-03-01T00:00:00Z"),
    });
    expect(await invoicesOf(owner, t.businessId)).toEqual([expect.objectContaining({ kind: "subscription", amount_cents: 1900 })]);
    await expect(change(t, { planId: "standard" }, at("2030-02-02T00:00:00Z"))).rejects.toThrow(/already on the Standard plan/);
  });

  test("a change made after the period ended, before the job ran, acts on the rolled-over period", async () => {
    const t = await tenantOn("professional", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    await change(t, { planId: "standard" }, at("2030-01-10T00:00:00Z"));
    // February: the scheduled downgrade has taken effect, so professional is now an upgrade, prorated over February.
    const result = await change(t, { planId: "professional" }, at("2030-02-15T00:00:00Z"));
    expect(result.change).toBe("upgraded");
    expect(result.subscription).toMatchObject({ currentPeriodStart: at("2030-02-01T00:00:00Z"), currentPeriodEnd: at("2030-03-01T00:00:00Z") });
    // 14 of 28 days left: 1900/2 credit, 4900/2 charge.
    expect(result.invoice!.lines.map((l) => l.amountCents)).toEqual([-950, 2450]);
  });

  test("refused while usage exceeds the smaller plan, naming the limits with the numbers", async () => {
    const t = await tenantOn("standard", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    await addProducts(owner, t.businessId, 30);
    await addStaff(owner, t.businessId, 3);
    const refused = change(t, { planId: "free" }, at("2030-01-05T00:00:00Z"));
    await expect(refused).rejects.toThrow("this business has 30 products (the Free plan allows 25) and 3 staff seats (the Free plan allows 2)");
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ plan_id: "standard", pending_plan_id: null });
    // At the limit exactly is fine.
    await owner`delete from products where business_id = ${t.businessId} and name in ('Bulk product 1', 'Bulk product 2', 'Bulk product 3', 'Bulk product 4', 'Bulk product 5')`;
    await owner`delete from business_access where business_id = ${t.businessId} and role = 'staff' and user_id = (select min(user_id) from business_access where business_id = ${t.businessId} and role = 'staff')`;
    expect((await change(t, { planId: "free" }, at("2030-01-05T00:00:00Z"))).change).toBe("downgrade_scheduled");
  });

  test("a cycle change is scheduled; choosing the current plan again undoes a pending downgrade; nothing to change is BAD_REQUEST", async () => {
    const t = await tenantOn("professional", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    const now = at("2030-01-03T00:00:00Z");
    expect((await change(t, { planId: "professional", billingCycle: "yearly" }, now)).change).toBe("cycle_change_scheduled");
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ billing_cycle: "monthly", pending_billing_cycle: "yearly" });
    await change(t, { planId: "standard", billingCycle: "monthly" }, now);
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ pending_plan_id: "standard", pending_billing_cycle: null });
    expect((await change(t, { planId: "professional" }, now)).change).toBe("pending_change_undone");
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ plan_id: "professional", pending_plan_id: null });
    await expect(change(t, { planId: "professional" }, now)).rejects.toThrow("already on the Professional plan");
  });
});

describe("trial and cancellation", () => {
  test("choosing a plan during the trial starts the paid subscription now, invoiced in full", async () => {
    const t = await createTenant(user); // trialing on free since now
    const now = new Date(Date.now() + 86_400_000);
    const result = await change(t, { planId: "standard", billingCycle: "yearly" }, now);
    expect(result).toMatchObject({ change: "started", invoice: { kind: "subscription", amountCents: 19000 } });
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ status: "active", plan_id: "standard", billing_cycle: "yearly", current_period_start: now });
  });

  test("cancel: kept until the period end, free afterwards; twice is CONFLICT; the free plan has nothing to cancel", async () => {
    const t = await tenantOn("standard", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    const cancel = (now: Date) => asOwner(t, (s) => cancelSubscription(s, now));
    const result = await cancel(at("2030-01-20T00:00:00Z"));
    expect(result).toMatchObject({ effectiveAt: at("2030-02-01T00:00:00Z"), subscription: { cancelAtPeriodEnd: true, canceledAt: at("2030-01-20T00:00:00Z") } });
    await expect(cancel(at("2030-01-21T00:00:00Z"))).rejects.toThrow("already ends");
    expect(await effectiveAt(t, at("2030-01-31T00:00:00Z"))).toBe("standard");
    expect(await effectiveAt(t, at("2030-02-01T00:00:00Z"))).toBe("free");
    await scopes.asSuperAdmin((s) => applyDueSubscriptionChanges(s, { now: at("2030-02-02T00:00:00Z"), businessIds: [t.businessId] }));
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ status: "canceled", cancel_at_period_end: false });
    await expect(cancel(at("2030-02-03T00:00:00Z"))).rejects.toThrow("already canceled");
    expect(await invoicesOf(owner, t.businessId)).toEqual([]);

    const free = await tenantOn("free", "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    await expect(asOwner(free, (s) => cancelSubscription(s, at("2030-01-02T00:00:00Z")))).rejects.toThrow("nothing to cancel");
  });
});
