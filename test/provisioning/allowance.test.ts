/**
 * What the platform decides for every new business: one account may own at most
 * MAX_BUSINESSES_PER_USER open businesses (10 here, the default) unless a super
 * admin raised its own limit, and trials run on the platform's trial plan
 * (TRIAL_PLAN, standard by default) or the plan asked for when that is cheaper.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner } from "../setup/catalog.ts";
import { createUser, newSession, quickUser, setTenantStatus, unique } from "../setup/fixtures.ts";
import { deps, ownerUrl } from "../setup/harness.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

const businessesOf = async (userId: number) => Number((await owner`select count(*)::int as n from business_tenants where created_by_user_id = ${userId}`)[0]!.n);
const provision = (token: string, overrides: Record<string, unknown> = {}) =>
  client({ token }).tenants.provision.mutate({ name: `Shop ${unique()}`, industryType: "retail", ...overrides } as never);

test("the platform's defaults are the documented ones", () => {
  expect(deps.policy).toEqual({ trialPlanId: "standard", maxBusinessesPerUser: 10 });
});

describe("businesses per account", () => {
  test("the 11th business → FORBIDDEN naming the limit, and nothing is written; closing one frees a slot", async () => {
    const user = await quickUser();
    const made = [];
    for (let i = 0; i < 10; i++) made.push(await provision(user.token));
    const error = await expectCode(provision(user.token), "FORBIDDEN");
    expect(error.message).toContain("10 open businesses");
    expect(await businessesOf(user.userId)).toBe(10);
    await setTenantStatus(made[0]!.businessId, "closed");
    await provision(user.token);
  });

  test("10 concurrent requests from an account holding 8: exactly 2 businesses are made", async () => {
    const user = await quickUser();
    for (let i = 0; i < 8; i++) await provision(user.token);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => provision(user.token)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(await businessesOf(user.userId)).toBe(10);
  });

  test("a super admin raises one account's limit (audited); only super admins may", async () => {
    const [user, admin] = [await quickUser(), await newSession(await createUser({ superAdmin: true }))];
    for (let i = 0; i < 10; i++) await provision(user.token);
    await expectCode(client({ token: user.token }).admin.users.setBusinessLimit.mutate({ userId: user.userId, limit: 12 }), "FORBIDDEN");
    await expectCode(provision(user.token), "FORBIDDEN");
    expect(await client({ token: admin.token }).admin.users.setBusinessLimit.mutate({ userId: user.userId, limit: 12 })).toEqual({ userId: user.userId, limit: 12 });
    await provision(user.token);
    await provision(user.token);
    await expectCode(provision(user.token), "FORBIDDEN");
    const audit = await owner`select actor_user_id, details from platform_audit_log where action = 'user.business_limit' and details->>'userId' = ${String(user.userId)}`;
    expect(audit.map((a) => ({ actor: Number(a.actor_user_id), limit: a.details.limit }))).toEqual([{ actor: admin.userId, limit: 12 }]);
  });

  test("an idempotent retry of a business already made is not refused at the limit", async () => {
    const user = await quickUser();
    for (let i = 0; i < 9; i++) await provision(user.token);
    const first = await provision(user.token, { name: "Last One", idempotencyKey: "last-one" });
    expect((await provision(user.token, { name: "Last One", idempotencyKey: "last-one" })).businessId).toBe(first.businessId);
  });
});

describe("trials", () => {
  const planOf = async (businessId: number) => (await owner`select plan_id, status from business_subscriptions where business_id = ${businessId}`)[0];

  test("asking for enterprise starts a trial on the platform's trial plan (standard)", async () => {
    const user = await quickUser();
    const created = await provision(user.token, { subscriptionPlanId: "enterprise" });
    expect(await planOf(created.businessId)).toEqual({ plan_id: "standard", status: "trialing" });
    await setTenantStatus(created.businessId, "active");
    const current = await client({ token: user.token, tenant: created.tenantKey }).subscriptions.current.query();
    expect(current.effectivePlanId).toBe("standard");
  });

  test("asking for a cheaper plan than the trial plan keeps that plan", async () => {
    const user = await quickUser();
    expect(await planOf((await provision(user.token, { subscriptionPlanId: "free" })).businessId)).toEqual({ plan_id: "free", status: "trialing" });
  });
});
