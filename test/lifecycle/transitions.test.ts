/**
 * The lifecycle state machine through tenants.lifecycle.*, as a super admin:
 * every verb from every status. Legal moves change the status and write a
 * lifecycle event, a tenant audit row and a platform audit row; illegal ones are
 * CONFLICT, name both states, and change nothing.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { TenantStatus } from "../../src/db/schema/enums.ts";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner } from "../setup/catalog.ts";
import { createTenant, createUser, setTenantStatus, signedInUser, type TestUser } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";

setDefaultTimeout(30_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

type Status = TenantStatus;
type Verb = "activate" | "suspend" | "resume" | "delete" | "purge";
const STATUSES: Status[] = ["pending", "active", "suspended", "closed"];

/** Written out here, not imported: the implementation's table must agree with this one. */
const LEGAL: Record<Verb, Partial<Record<Status, Status | "purged">>> = {
  activate: { pending: "active" },
  suspend: { active: "suspended" },
  resume: { suspended: "active" },
  delete: { pending: "closed", active: "closed", suspended: "closed" },
  purge: { closed: "purged" },
};

let admin: Awaited<ReturnType<typeof signedInUser>>;
let shopOwner: TestUser;
beforeAll(async () => {
  [admin, shopOwner] = await Promise.all([signedInUser({ superAdmin: true }), createUser()]);
});

function call(verb: Verb, tenantKey: string, reason: string) {
  const api = client({ token: admin.token }).tenants.lifecycle;
  if (verb === "purge") return api.purge.mutate({ tenantKey, reason, force: true });
  if (verb === "suspend") return api.suspend.mutate({ tenantKey, reason });
  return api[verb].mutate({ tenantKey, reason });
}

const tenantRow = async (id: number) => (await owner`select status, deleted_at from business_tenants where id = ${id}`)[0];
const count = async (query: PromiseLike<readonly unknown[]>) => (await query).length;

describe("every verb from every status", () => {
  for (const verb of Object.keys(LEGAL) as Verb[]) {
    for (const from of STATUSES) {
      const to = LEGAL[verb][from];
      test(`${verb} a ${from} business → ${to ?? "CONFLICT"}`, async () => {
        const tenant = await createTenant(shopOwner, { status: from });
        const reason = `because ${verb} ${from}`;
        const eventsBefore = await count(owner`select 1 from tenant_lifecycle_events where business_id = ${tenant.businessId}`);

        if (!to) {
          const error = await expectCode(call(verb, tenant.tenantKey, reason), "CONFLICT");
          expect(error.message).toContain(from);
          expect(error.message).toContain(Object.values(LEGAL[verb])[0]!);
          expect((await tenantRow(tenant.businessId))!.status).toBe(from);
          expect(await count(owner`select 1 from tenant_lifecycle_events where business_id = ${tenant.businessId}`)).toBe(eventsBefore);
          return;
        }

        const result = await call(verb, tenant.tenantKey, reason);
        expect(result.status).toBe(to);
        const audit = await owner`select * from platform_audit_log where target_business_id = ${tenant.businessId} and action = ${`tenant.${verb}`}`;
        expect([...audit]).toEqual([expect.objectContaining({ actor_user_id: String(admin.userId), reason })]);
        if (to === "purged") {
          expect(await tenantRow(tenant.businessId)).toBeUndefined();
          return;
        }
        const row = await tenantRow(tenant.businessId);
        expect(row!.status).toBe(to);
        expect(row!.deleted_at === null).toBe(to !== "closed");
        const [event] = await owner`select * from tenant_lifecycle_events where business_id = ${tenant.businessId} order by id desc limit 1`;
        expect(event).toMatchObject({ from_status: from, to_status: to, reason, actor_user_id: String(admin.userId) });
        const [line] = await owner`select * from audit_log where business_id = ${tenant.businessId} and action = ${`tenant.${verb}`}`;
        expect(line).toMatchObject({ actor_user_id: String(admin.userId), details: expect.objectContaining({ from, to, reason }) });
      });
    }
  }
});

describe("what a transition does to the next request", () => {
  test("suspend: members' very next request is FORBIDDEN and customers lose the shop; resume restores both", async () => {
    const shopOwnerSession = await signedInUser();
    const tenant = await createTenant(shopOwnerSession);
    const biz = client({ token: shopOwnerSession.token, tenant: tenant.tenantKey });
    const product = await biz.products.create.mutate({ name: "Chai", priceCents: 100, stock: 10 });
    const customer = client({ token: (await signedInUser()).token });
    const order = () => customer.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: product.id, quantity: 1 }] });
    await order();

    await client({ token: admin.token }).tenants.lifecycle.suspend.mutate({ tenantKey: tenant.tenantKey, reason: "chargebacks" });
    const refused = await expectCode(biz.tenants.current.query(), "FORBIDDEN");
    expect(refused.message).toContain("suspended");
    await expectCode(biz.products.create.mutate({ name: "Lassi", priceCents: 100 }), "FORBIDDEN");
    await expectCode(order(), "NOT_FOUND");

    await client({ token: admin.token }).tenants.lifecycle.resume.mutate({ tenantKey: tenant.tenantKey });
    expect((await biz.tenants.current.query()).status).toBe("active");
    await order();
  });

  test("activate: a pending business is invisible to customers until activated", async () => {
    const shopOwnerSession = await signedInUser();
    const tenant = await createTenant(shopOwnerSession, { status: "pending" });
    const biz = client({ token: shopOwnerSession.token, tenant: tenant.tenantKey });
    const product = await biz.products.create.mutate({ name: "Samosa", priceCents: 50, stock: 5 }); // members may prepare a pending shop
    const customer = client({ token: (await signedInUser()).token });
    const order = () => customer.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: product.id, quantity: 1 }] });
    await expectCode(order(), "NOT_FOUND");
    await client({ token: shopOwnerSession.token }).tenants.lifecycle.activate.mutate({ tenantKey: tenant.tenantKey });
    await order();
  });

  test("delete: the business disappears for its members (NOT_FOUND) and from auth.me", async () => {
    const shopOwnerSession = await signedInUser();
    const tenant = await createTenant(shopOwnerSession);
    const me = client({ token: shopOwnerSession.token });
    expect((await me.auth.me.query()).memberships).toHaveLength(1);
    await me.tenants.lifecycle.delete.mutate({ tenantKey: tenant.tenantKey, reason: "retiring" });
    await expectCode(client({ token: shopOwnerSession.token, tenant: tenant.tenantKey }).tenants.current.query(), "NOT_FOUND");
    expect((await me.auth.me.query()).memberships).toEqual([]);
  });

  test("concurrent transitions of one business serialise: of two suspends, one wins and one is CONFLICT", async () => {
    const tenant = await createTenant(shopOwner);
    await setTenantStatus(tenant.businessId, "active");
    const api = client({ token: admin.token }).tenants.lifecycle;
    const outcomes = await Promise.allSettled([1, 2].map(() => api.suspend.mutate({ tenantKey: tenant.tenantKey, reason: "race" })));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason.data.code).toBe("CONFLICT");
    expect(await count(owner`select 1 from tenant_lifecycle_events where business_id = ${tenant.businessId} and to_status = 'suspended' and reason = 'race'`)).toBe(1);
  });
});
