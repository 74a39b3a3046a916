/**
 * With two real API processes sharing Redis (one process on the memory driver,
 * which cannot be shared): a suspension, a removed member and a plan change take
 * effect on the very next request in the other process, although that process
 * has the business's entries cached; and a noisy business cannot get past its
 * limit (plus one burst) by spreading its requests over both processes, while
 * another business's requests all succeed.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectOwner } from "../setup/catalog.ts";
import { addMember, createTenant } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";
import { expectCode } from "../setup/client.ts";
import { quickUser, shopOnPlan } from "./plans.ts";
import { startApiProcess, remote, type ApiProcess } from "./processes.ts";
import { REDIS_URL, call, parseFields, testPrefix } from "./support.ts";

setDefaultTimeout(120_000);
const owner = connectOwner(ownerUrl, 2);
let one: ApiProcess;
let two: ApiProcess;

beforeAll(async () => {
  const shared = { CACHE_PREFIX: testPrefix("procs"), REDIS_URL: REDIS_URL };
  one = await startApiProcess(shared);
  two = REDIS_URL ? await startApiProcess(shared) : one;
});
afterAll(() => owner.end({ timeout: 5 }));

const label = REDIS_URL ? "two API processes sharing Redis" : "one API process (memory driver)";

describe(label, () => {
  test("a suspension bites on the next request in the other process, cached entries notwithstanding; resuming lifts it", async () => {
    const admin = await quickUser(owner, { superAdmin: true });
    const user = await quickUser(owner);
    const tenant = await createTenant(user);
    const inOne = remote(one, { token: user.token, tenant: tenant.tenantKey });
    await inOne.categories.list.query();
    await inOne.categories.list.query(); // now cached in Redis, and the plan and tenant ref too
    await remote(two, { token: admin.token }).tenants.lifecycle.suspend.mutate({ tenantKey: tenant.tenantKey, reason: "chargebacks under review" });
    await expectCode(inOne.categories.list.query(), "FORBIDDEN");
    await remote(two, { token: admin.token }).tenants.lifecycle.resume.mutate({ tenantKey: tenant.tenantKey });
    expect((await inOne.categories.list.query()).length).toBeGreaterThanOrEqual(0);
  });

  test("a removed member is refused on the next request in the other process", async () => {
    const user = await quickUser(owner);
    const tenant = await createTenant(user);
    const member = await quickUser(owner);
    await addMember(tenant, member, "staff", ["catalog:read"]);
    const memberInOne = remote(one, { token: member.token, tenant: tenant.tenantKey });
    await memberInOne.categories.list.query();
    await memberInOne.categories.list.query();
    await remote(two, { token: user.token, tenant: tenant.tenantKey }).members.remove.mutate({ userId: member.userId });
    await expectCode(memberInOne.categories.list.query(), "FORBIDDEN");
  });

  test("a plan change applies to the next request in the other process: its rate limit and its limits", async () => {
    const user = await quickUser(owner);
    const tenant = await createTenant(user);
    const policyInOne = async () =>
      parseFields((await call((r) => one.fetch(r), one.url, "tenants.current", { token: user.token, tenant: tenant.tenantKey })).headers.get("RateLimit-Policy")).business!.q;
    expect(await policyInOne()).toBe(600);
    await remote(two, { token: user.token, tenant: tenant.tenantKey }).subscriptions.changePlan.mutate({ planId: "professional" });
    expect(await policyInOne()).toBe(12_000);
    expect(await remote(one, { token: user.token, tenant: tenant.tenantKey }).subscriptions.current.query()).toMatchObject({ effectivePlanId: "professional" });
  });

  test("noisy neighbour: A sends 10x its limit through both processes and gets 429s; B's concurrent requests all succeed", async () => {
    const LIMIT = 30;
    const a = await shopOnPlan(owner, LIMIT, 6); // 7 members at 6 a minute each: the business's 30 binds first
    const bOwner = await quickUser(owner);
    const b = await createTenant(bOwner); // free plan: 600 a minute, 120 per member
    const aCallers = [a.owner, ...a.members];
    const B_REQUESTS = 60;

    const aStatuses: number[] = [];
    const bStatuses: number[] = [];
    let retryAfter: string | null = null;
    const aRequest = async (i: number) => {
      const proc = i % 2 ? two : one;
      const reply = await call((r) => proc.fetch(r), proc.url, "tenants.current", { token: aCallers[i % aCallers.length]!.token, tenant: a.tenant.tenantKey });
      aStatuses.push(reply.status);
      if (reply.status === 429) retryAfter ??= reply.headers.get("Retry-After");
    };
    const bRequest = async (i: number) => {
      const proc = i % 2 ? one : two;
      bStatuses.push((await call((r) => proc.fetch(r), proc.url, "tenants.current", { token: bOwner.token, tenant: b.tenantKey })).status);
    };
    // Waves of 20 concurrent requests: A's 300 and B's 60 interleaved.
    const jobs = [...Array.from({ length: LIMIT * 10 }, (_, i) => () => aRequest(i)), ...Array.from({ length: B_REQUESTS }, (_, i) => () => bRequest(i))];
    jobs.sort(() => Math.random() - 0.5);
    for (let i = 0; i < jobs.length; i += 20) await Promise.all(jobs.slice(i, i + 20).map((job) => job()));

    const aServed = aStatuses.filter((s) => s === 200).length;
    expect(aStatuses.length).toBe(LIMIT * 10);
    expect(aStatuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(aServed).toBeGreaterThanOrEqual(LIMIT); // the bucket starts full
    expect(aServed).toBeLessThanOrEqual(LIMIT + LIMIT); // its limit plus one burst, across both processes
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(bStatuses).toEqual(Array(B_REQUESTS).fill(200));
  });
});
