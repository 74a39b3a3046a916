/**
 * Trials, period rollover and the rollover job, with the clock injected: the
 * effective plan falls back to free when a trial ends, and
 * applyDueSubscriptionChanges turns what is due into rows and invoices.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectOwner } from "../setup/catalog.ts";
import { createTenant, createUser, type TestUser } from "../setup/fixtures.ts";
import { ownerUrl, scopes } from "../setup/harness.ts";
import { applyDueSubscriptionChanges } from "../../src/services/subscriptions/apply-due.ts";
import { currentSubscriptionOf } from "../../src/services/subscriptions/current.ts";
import { assertWithinLimit } from "../../src/services/subscriptions/limits.ts";
import { addCycle } from "../../src/services/subscriptions/plans.ts";
import { provisionTenant } from "../../src/services/tenants/provision.ts";
import { addProducts, at, invoicesOf, setSubscription, subscriptionRow } from "./support.ts";

setDefaultTimeout(30_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

let user: TestUser;
beforeAll(async () => {
  user = await createUser();
});

const rollover = (now: Date, businessIds: number[]) => scopes.asSuperAdmin((s) => applyDueSubscriptionChanges(s, { now, businessIds }));

describe("trial expiry", () => {
  const provisionedAt = at("2030-01-01T00:00:00Z");
  const trialEnds = at("2030-06-30T00:00:00Z"); // 180 days later

  async function standardTrial() {
    return scopes.asNewTenant(user.userId, (s) =>
      provisionTenant(s, user.userId, { name: "Trial Salon", industryType: "salon", subscriptionPlanId: "standard", tenantTier: "standard", dataResidency: "in" }, { now: provisionedAt }),
    );
  }

  test("the trial gives the chosen plan's limits for 180 days, then the free plan's", async () => {
    const t = await standardTrial();
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ status: "trialing", plan_id: "standard", trial_ends_at: trialEnds });
    await addProducts(owner, t.businessId, 30);
    const add = (now: Date) => scopes.asTenant(t.businessId, (s) => assertWithinLimit(s, "products", 1, now));

    await add(at("2030-06-29T23:59:59Z")); // standard allows 500
    await expect(add(trialEnds)).rejects.toThrow("Plan limit reached: the Free plan allows 25 products; this business has 30");

    const during = await scopes.asTenant(t.businessId, (s) => currentSubscriptionOf(s, at("2030-03-01T00:00:00Z")));
    expect(during).toMatchObject({ planId: "standard", effectivePlanId: "standard", limits: { products: 500 }, usage: { products: 30 } });
    const after = await scopes.asTenant(t.businessId, (s) => currentSubscriptionOf(s, at("2030-07-01T00:00:00Z")));
    expect(after).toMatchObject({ planId: "standard", status: "trialing", effectivePlanId: "free", limits: { products: 25, staffSeats: 2 } });
  });

  test("the rollover job turns an ended trial into the free plan, without an invoice, once", async () => {
    const t = await standardTrial();
    expect(await rollover(at("2030-06-29T00:00:00Z"), [t.businessId])).toMatchObject({ processed: 0 });
    expect(await rollover(trialEnds, [t.businessId])).toMatchObject({ processed: 1, events: { trial_ended: 1 }, failed: [] });
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({
      status: "active",
      plan_id: "free",
      current_period_start: trialEnds,
      current_period_end: at("2030-07-30T00:00:00Z"),
    });
    expect(await rollover(at("2030-07-01T00:00:00Z"), [t.businessId])).toMatchObject({ processed: 0 });
    expect(await invoicesOf(owner, t.businessId)).toEqual([]);
  });
});

describe("rollover", () => {
  test("a late job catches up every missed period, one invoice each, and leaves businesses that are not due alone", async () => {
    const [due, notDue] = [await createTenant(user), await createTenant(user)];
    await setSubscription(owner, due.businessId, { planId: "standard", status: "active", start: at("2030-01-31T00:00:00Z"), end: at("2030-02-28T00:00:00Z") });
    await setSubscription(owner, notDue.businessId, { planId: "standard", status: "active", start: at("2030-04-15T00:00:00Z"), end: at("2030-05-15T00:00:00Z") });

    const result = await rollover(at("2030-05-01T00:00:00Z"), [due.businessId, notDue.businessId]);
    expect(result).toMatchObject({ processed: 1, events: { renewed: 3 }, failed: [], remaining: false });
    expect(await subscriptionRow(owner, due.businessId)).toMatchObject({ current_period_start: at("2030-04-28T00:00:00Z"), current_period_end: at("2030-05-28T00:00:00Z") });
    const invoices = await invoicesOf(owner, due.businessId);
    expect(invoices.map((i) => [i.kind, i.amount_cents, i.issued_at.toISOString().slice(0, 10)])).toEqual([
      ["subscription", 1900, "2030-02-28"],
      ["subscription", 1900, "2030-03-28"],
      ["subscription", 1900, "2030-04-28"],
    ]);
    expect(await subscriptionRow(owner, notDue.businessId)).toMatchObject({ current_period_end: at("2030-05-15T00:00:00Z") });
    expect(await invoicesOf(owner, notDue.businessId)).toEqual([]);
  });

  test("a pending yearly cycle is applied with the yearly price", async () => {
    const t = await createTenant(user);
    await setSubscription(owner, t.businessId, { planId: "professional", status: "active", start: at("2030-01-01T00:00:00Z"), end: at("2030-02-01T00:00:00Z") });
    await owner`update business_subscriptions set pending_billing_cycle = 'yearly' where business_id = ${t.businessId}`;
    expect(await rollover(at("2030-02-01T00:00:00Z"), [t.businessId])).toMatchObject({ events: { changed: 1 } });
    expect(await subscriptionRow(owner, t.businessId)).toMatchObject({ billing_cycle: "yearly", pending_billing_cycle: null, current_period_end: at("2031-02-01T00:00:00Z") });
    expect((await invoicesOf(owner, t.businessId)).map((i) => i.amount_cents)).toEqual([49000]);
  });

  test("billing periods: same day next month, clamped to the month's end; yearly from 29 February", () => {
    expect(addCycle(at("2030-03-15T10:00:00Z"), "monthly")).toEqual(at("2030-04-15T10:00:00Z"));
    expect(addCycle(at("2030-01-31T00:00:00Z"), "monthly")).toEqual(at("2030-02-28T00:00:00Z"));
    expect(addCycle(at("2032-01-31T00:00:00Z"), "monthly")).toEqual(at("2032-02-29T00:00:00Z"));
    expect(addCycle(at("2030-12-31T00:00:00Z"), "monthly")).toEqual(at("2031-01-31T00:00:00Z"));
    expect(addCycle(at("2032-02-29T00:00:00Z"), "yearly")).toEqual(at("2033-02-28T00:00:00Z"));
  });
});
