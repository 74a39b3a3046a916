/**
 * jobs.status / jobs.list (a business's own jobs, any member) and
 * admin.jobs.depth (super admins: depth per queue and state, and per business),
 * with the shared security matrix on each.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { scopes } from "../setup/harness.ts";
import { securityMatrix } from "../setup/security-matrix.ts";
import { createUser, newSession, shop } from "../setup/fixtures.ts";
import { deleteJobs } from "./support/jobs.ts";

setDefaultTimeout(60_000);

const made: number[] = [];
const queueFor = async (businessId: number, n = 1) => {
  made.push(businessId);
  return scopes.asTenant(businessId, (s) => s.jobs.sendMany("test.noop", Array.from({ length: n }, (_, i) => ({ n: i }))));
};
afterAll(() => deleteJobs(made));

describe("jobs.status", () => {
  let A: Awaited<ReturnType<typeof shop>>;
  let B: Awaited<ReturnType<typeof shop>>;
  beforeAll(async () => {
    [A, B] = await Promise.all([shop(), shop()]);
  });

  test("a business's own job: { id, type, state, attempts, createdAt }, completedAt only once done", async () => {
    const [id] = await queueFor(A.tenant.businessId);
    const status = await A.api.jobs.status.query({ id: id! });
    expect(status).toEqual({ id: id!, type: "test.noop", state: "created", attempts: 0, createdAt: expect.any(Date) });
    expect("completedAt" in status).toBe(false);
  });

  test("another business's job id is NOT_FOUND, like an id that does not exist; a malformed id is BAD_REQUEST", async () => {
    const [theirs] = await queueFor(B.tenant.businessId);
    expect((await B.api.jobs.status.query({ id: theirs! })).id).toBe(theirs!); // it exists, for its owner
    await expectCode(A.api.jobs.status.query({ id: theirs! }), "NOT_FOUND");
    await expectCode(A.api.jobs.status.query({ id: crypto.randomUUID() }), "NOT_FOUND");
    await expectCode(A.api.jobs.status.query({ id: "not-a-uuid" }), "BAD_REQUEST");
  });

  test("jobs.list shows the business's own jobs only, newest first", async () => {
    const mine = await queueFor(A.tenant.businessId, 3);
    await queueFor(B.tenant.businessId, 2);
    const { items } = await A.api.jobs.list.query({ limit: 100 });
    expect(items.map((j) => j.id)).toEqual(expect.arrayContaining(mine));
    const B_ids = (await B.api.jobs.list.query({ limit: 100 })).items.map((j) => j.id);
    expect(items.filter((j) => B_ids.includes(j.id))).toEqual([]);
    await expectCode(A.api.jobs.list.query({ limit: 1000 }), "BAD_REQUEST");
  });
});

describe("admin.jobs.depth", () => {
  test("counts per queue and state, and per business", async () => {
    const { tenant } = await shop();
    await queueFor(tenant.businessId, 7);
    const admin = await newSession(await createUser({ superAdmin: true }));
    const depth = await client({ token: admin.token }).admin.jobs.depth.query({ businesses: 500 });
    expect(depth.queues.find((q) => q.name === "tenant-jobs")!.states.created).toBeGreaterThanOrEqual(7);
    const mine = depth.businesses.find((b) => b.businessId === tenant.businessId);
    expect(mine).toMatchObject({ slug: tenant.slug, states: { created: 7, active: 0, completed: 0, failed: 0 } });
    await expectCode(client({ token: admin.token }).admin.jobs.depth.query({ businesses: 0 }), "BAD_REQUEST");
  });
});

securityMatrix<string>({
  name: "jobs.status",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [] },
  ownId: async (fx) => (await queueFor(fx.tenant.businessId))[0]!,
  foreignId: async (fx) => (await queueFor(fx.other.tenant.businessId))[0]!,
  missingId: "00000000-0000-4000-8000-000000000000",
  call: async (c, fx) => expect((await c.jobs.status.query({ id: fx.id })).id).toBe(fx.id),
});

securityMatrix<string>({
  name: "jobs.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [] },
  ownId: async (fx) => (await queueFor(fx.tenant.businessId))[0]!,
  call: async (c, fx) => expect((await c.jobs.list.query({})).items.map((j) => j.id)).toEqual([fx.id]),
});

securityMatrix({
  name: "admin.jobs.depth",
  kind: "admin",
  call: async (c) => expect(Array.isArray((await c.admin.jobs.depth.query({})).queues)).toBe(true),
});
