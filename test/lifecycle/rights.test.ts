/**
 * Who may move a business through its lifecycle. activate and delete: its owner
 * or a super admin; suspend, resume and purge: super admins only. Everyone else
 * is FORBIDDEN, the same for an unknown business (no existence oracle), except
 * that a super admin is told NOT_FOUND. (The shared security matrix for these
 * procedures: test/routers/tenants.security.test.ts.)
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner } from "../setup/catalog.ts";
import { addMember, createTenant, createUser, signIn, signedInUser } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";

setDefaultTimeout(30_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

const statusOf = async (tenantKey: string) => (await owner`select status from business_tenants where tenant_key = ${tenantKey}::uuid`)[0]?.status;

describe("owner, manager, stranger and super admin", () => {
  async function cast() {
    const [shopOwner, manager, stranger, admin] = await Promise.all([signedInUser(), createUser(), signedInUser(), signedInUser({ superAdmin: true })]);
    const tenant = await createTenant(shopOwner, { status: "pending" });
    await addMember(tenant, manager, "manager", ["members:write", "catalog:write"]);
    const managerSession = { ...manager, token: (await signIn(manager)).accessToken };
    const as = (who: { token: string }) => client({ token: who.token }).tenants.lifecycle;
    return { tenant, key: tenant.tenantKey, owner: as(shopOwner), manager: as(managerSession), stranger: as(stranger), admin: as(admin) };
  }

  test("the owner activates and deletes its own business, but cannot suspend, resume or purge it", async () => {
    const { key, owner: o, admin } = await cast();
    await expectCode(o.suspend.mutate({ tenantKey: key, reason: "self" }), "FORBIDDEN");
    expect(await o.activate.mutate({ tenantKey: key })).toEqual({ status: "active" });
    await admin.suspend.mutate({ tenantKey: key, reason: "unpaid invoices" });
    // An owner cannot lift its own suspension: activate applies to pending businesses only.
    await expectCode(o.resume.mutate({ tenantKey: key }), "FORBIDDEN");
    await expectCode(o.activate.mutate({ tenantKey: key }), "CONFLICT");
    expect(await statusOf(key)).toBe("suspended");
    // ...but may still close it.
    expect(await o.delete.mutate({ tenantKey: key, reason: "closing down" })).toEqual({ status: "closed" });
    await expectCode(o.purge.mutate({ tenantKey: key, force: true }), "FORBIDDEN");
    expect(await statusOf(key)).toBe("closed");
  });

  test("a manager (even with members:write) and a stranger may do nothing; the status never changes", async () => {
    const { key, manager, stranger } = await cast();
    for (const who of [manager, stranger]) {
      await expectCode(who.activate.mutate({ tenantKey: key }), "FORBIDDEN");
      await expectCode(who.delete.mutate({ tenantKey: key }), "FORBIDDEN");
      await expectCode(who.suspend.mutate({ tenantKey: key, reason: "nope" }), "FORBIDDEN");
      await expectCode(who.resume.mutate({ tenantKey: key }), "FORBIDDEN");
      await expectCode(who.purge.mutate({ tenantKey: key, force: true }), "FORBIDDEN");
    }
    expect(await statusOf(key)).toBe("pending");
  });

  test("unknown business: FORBIDDEN to non-admins (same as someone else's), NOT_FOUND to a super admin", async () => {
    const { owner: o, admin } = await cast();
    const nobody = crypto.randomUUID();
    await expectCode(o.activate.mutate({ tenantKey: nobody }), "FORBIDDEN");
    await expectCode(o.delete.mutate({ tenantKey: nobody }), "FORBIDDEN");
    await expectCode(admin.activate.mutate({ tenantKey: nobody }), "NOT_FOUND");
    await expectCode(admin.suspend.mutate({ tenantKey: nobody, reason: "who?" }), "NOT_FOUND");
  });

  test("bad input is BAD_REQUEST: no reason to suspend, a malformed business, both names or none, a blank reason", async () => {
    const { key, admin, tenant } = await cast();
    await expectCode(admin.suspend.mutate({ tenantKey: key } as never), "BAD_REQUEST");
    await expectCode(admin.suspend.mutate({ tenantKey: key, reason: "  " }), "BAD_REQUEST");
    await expectCode(admin.activate.mutate({ tenantKey: "Not A Slug!" }), "BAD_REQUEST");
    await expectCode(admin.activate.mutate({ tenantKey: key, tenantRef: tenant.slug }), "BAD_REQUEST");
    await expectCode(admin.activate.mutate({} as never), "BAD_REQUEST");
    await expectCode(admin.purge.mutate({ tenantKey: key, force: "yes" as never }), "BAD_REQUEST");
    expect(await statusOf(key)).toBe("pending");
  });

  test("tenantRef names the business by slug or tenantKey; tenantKey is the same field under the contract's name", async () => {
    const { key, admin, tenant, owner: o } = await cast();
    expect(await admin.activate.mutate({ tenantRef: tenant.slug })).toEqual({ status: "active" });
    expect(await o.delete.mutate({ tenantRef: key, reason: "closing down" })).toEqual({ status: "closed" });
  });
});
