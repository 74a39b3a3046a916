/**
 * subscriptions.* through the API: a business's path from trial to paid,
 * upgrade and cancellation (who may call what: test/routers/subscriptions.security.test.ts).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { createTenant, signedInUser } from "../setup/fixtures.ts";

setDefaultTimeout(30_000);

describe("trial → paid → upgrade → cancel", () => {
  test("each step answers what happened, and subscriptions.current follows", async () => {
    const user = await signedInUser();
    const tenant = await createTenant(user);
    const api = client({ token: user.token, tenant: tenant.tenantKey });

    const started = await api.subscriptions.changePlan.mutate({ planId: "standard" });
    expect(started).toMatchObject({ change: "started", invoice: { kind: "subscription", amountCents: 1900 }, subscription: { status: "active" } });

    const upgraded = await api.subscriptions.changePlan.mutate({ planId: "professional" });
    expect(upgraded.change).toBe("upgraded");
    // Upgraded moments after the period began: almost the whole difference (4900 - 1900) is due.
    expect(upgraded.invoice!.amountCents).toBeGreaterThan(2990);
    expect(upgraded.invoice!.amountCents).toBeLessThanOrEqual(3000);

    const downgrade = await api.subscriptions.changePlan.mutate({ planId: "free" });
    expect(downgrade).toMatchObject({ change: "downgrade_scheduled", invoice: null });
    expect(await api.subscriptions.current.query()).toMatchObject({ planId: "professional", pendingPlanId: "free", effectivePlanId: "professional" });

    const cancelled = await api.subscriptions.cancel.mutate();
    expect(cancelled.subscription).toMatchObject({ cancelAtPeriodEnd: true, pendingPlanId: null });
    await expectCode(api.subscriptions.cancel.mutate(), "CONFLICT");
  });

  test("bad input is BAD_REQUEST, never a 500", async () => {
    const user = await signedInUser();
    const tenant = await createTenant(user);
    const api = client({ token: user.token, tenant: tenant.tenantKey });
    await expectCode(api.subscriptions.changePlan.mutate({ planId: "gold" as "free" }), "BAD_REQUEST");
    await expectCode(api.subscriptions.changePlan.mutate({ planId: "standard", billingCycle: "weekly" as "monthly" }), "BAD_REQUEST");
    await api.subscriptions.changePlan.mutate({ planId: "free" });
    await expectCode(api.subscriptions.changePlan.mutate({ planId: "free" }), "BAD_REQUEST"); // nothing would change
    await expectCode(api.subscriptions.cancel.mutate(), "BAD_REQUEST"); // the free plan has nothing to cancel
  });
});
