/**
 * members.*: owners and managers give existing accounts access as manager or
 * staff, with the business's role permissions (DEFAULT_ROLES); removing a member
 * takes the access away at once, for sessions already open too.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { DEFAULT_ROLES } from "../../src/services/tenants/permissions.ts";
import { client, expectCode } from "../setup/client.ts";
import { countRows, makeProduct, member, quickUser, shop } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

const defaults = (role: "manager" | "staff") => [...DEFAULT_ROLES.find((r) => r.name === role)!.permissions];

describe("members.invite / list", () => {
  test("an invited account joins with the role's permissions and can act within them at once", async () => {
    const { owner, tenant, api } = await shop();
    const product = await makeProduct(owner, tenant);
    const staff = await quickUser("Priya");
    // E-mails are matched case-insensitively.
    const invited = await api.members.invite.mutate({ email: staff.email.toUpperCase(), role: "staff" });
    expect(invited).toEqual({ userId: staff.userId, role: "staff", permissions: defaults("staff") });

    const listed = await api.members.list.query();
    expect(listed.map((m) => [m.userId, m.role])).toEqual([
      [owner.userId, "owner"],
      [staff.userId, "staff"],
    ]);
    expect(listed[1]).toMatchObject({ email: staff.email, name: "Priya", permissions: defaults("staff") });

    const asStaff = client({ token: staff.token, tenant: tenant.tenantKey });
    expect((await asStaff.products.get.query({ id: product.id })).id).toBe(product.id);
    await expectCode(asStaff.products.delete.mutate({ id: product.id }), "FORBIDDEN");
    await expectCode(asStaff.members.invite.mutate({ email: (await quickUser()).email, role: "staff" }), "FORBIDDEN");
  });

  test("a manager can invite, and the invitee gets manager permissions", async () => {
    const { tenant } = await shop();
    const manager = await member(tenant, "manager");
    const other = await quickUser();
    const api = client({ token: manager.token, tenant: tenant.tenantKey });
    expect((await api.members.invite.mutate({ email: other.email, role: "manager" })).permissions).toEqual(defaults("manager"));
  });

  test("unknown e-mail is NOT_FOUND, a current member is CONFLICT, role owner or a malformed e-mail is BAD_REQUEST; nothing written", async () => {
    const { owner, tenant, api } = await shop();
    const before = await countRows(tenant, "business_access");
    await expectCode(api.members.invite.mutate({ email: `nobody-${crypto.randomUUID()}@example.test`, role: "staff" }), "NOT_FOUND");
    await expectCode(api.members.invite.mutate({ email: owner.email, role: "manager" }), "CONFLICT");
    const stranger = await quickUser();
    await expectCode(api.members.invite.mutate({ email: stranger.email, role: "owner" as "staff" }), "BAD_REQUEST");
    await expectCode(api.members.invite.mutate({ email: "not-an-email", role: "staff" }), "BAD_REQUEST");
    expect(await countRows(tenant, "business_access")).toBe(before);
  });

  test("a member of one business is not a member of another: list shows only this business's people", async () => {
    const a = await shop();
    const b = await shop();
    const shared = await quickUser();
    await a.api.members.invite.mutate({ email: shared.email, role: "staff" });
    expect((await b.api.members.list.query()).map((m) => m.userId)).toEqual([b.owner.userId]);
    await expectCode(client({ token: shared.token, tenant: b.tenant.tenantKey }).products.list.query({}), "FORBIDDEN");
  });
});

describe("members.remove", () => {
  test("a removed member loses access immediately, with the session it already had", async () => {
    const { tenant, api } = await shop();
    const staff = await member(tenant, "staff");
    const asStaff = client({ token: staff.token, tenant: tenant.tenantKey });
    await asStaff.products.list.query({});
    expect(await api.members.remove.mutate({ userId: staff.userId })).toEqual({ userId: staff.userId, removed: true });
    await expectCode(asStaff.products.list.query({}), "FORBIDDEN");
    expect((await api.members.list.query()).map((m) => m.userId)).not.toContain(staff.userId);
    await expectCode(api.members.remove.mutate({ userId: staff.userId }), "NOT_FOUND");
  });

  test("nobody removes the owner (BAD_REQUEST), not even the owner; a manager may remove another manager", async () => {
    const { owner, tenant, api } = await shop();
    const [m1, m2] = [await member(tenant, "manager"), await member(tenant, "manager")];
    const asManager = client({ token: m1.token, tenant: tenant.tenantKey });
    const error = await expectCode(asManager.members.remove.mutate({ userId: owner.userId }), "BAD_REQUEST");
    expect(error.message).toMatch(/owner cannot be removed/);
    await expectCode(api.members.remove.mutate({ userId: owner.userId }), "BAD_REQUEST");
    await asManager.members.remove.mutate({ userId: m2.userId });
    expect((await api.members.list.query()).map((m) => m.role)).toEqual(["owner", "manager"]);
  });
});
