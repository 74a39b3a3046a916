/**
 * The shared security matrix for tenants.*: current (any member), provision
 * (any signed-in user) and the lifecycle verbs. activate and delete: the
 * business's owner or a super admin; suspend, resume and purge: super admins.
 */
import { afterAll, expect, setDefaultTimeout } from "bun:test";
import type { TenantStatus } from "../../src/db/schema/enums.ts";
import { connectOwner } from "../setup/catalog.ts";
import { unique } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";
import { securityMatrix, type MatrixFixture } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

/** By key, ignoring unknown keys, so the matrix's missing-id case can call it too. */
const putInStatus = async (tenantKey: string, status: TenantStatus) => {
  await owner`update business_tenants set status = ${status}, deleted_at = ${status === "closed" ? new Date() : null} where tenant_key = ${tenantKey}::uuid`;
};

securityMatrix({
  name: "tenants.current",
  kind: "tenant",
  // Any member may read its business, even one holding no permission at all.
  permission: { allowedRoles: ["owner", "manager", "staff", { role: "staff", permissions: [] }], refusedRoles: [] },
  call: async (c, fx) => {
    const current = await c.tenants.current.query();
    expect(current.businessId).toBe(fx.tenant.businessId);
  },
});

securityMatrix({
  name: "tenants.provision",
  kind: "authed",
  call: (c) => c.tenants.provision.mutate({ name: `Matrix Shop ${unique()}`, industryType: "retail" }),
});

// Admin-side matrices. For activate and delete, which an owner may also call, the
// target is the *other* business, so the matrix's non-admin callers (the owner of
// the first business, a customer) own nothing there and must be refused.
const otherKey = (fx: Omit<MatrixFixture<string>, "id">) => Promise.resolve(fx.other.tenant.tenantKey);
const ownKey = (fx: Omit<MatrixFixture<string>, "id">) => Promise.resolve(fx.tenant.tenantKey);
const missingId = crypto.randomUUID();

securityMatrix<string>({
  name: "tenants.lifecycle.activate",
  kind: "admin",
  ownId: otherKey,
  missingId,
  call: async (c, fx) => {
    await putInStatus(fx.id, "pending");
    expect(await c.tenants.lifecycle.activate.mutate({ tenantKey: fx.id })).toEqual({ status: "active" });
  },
});
securityMatrix<string>({
  name: "tenants.lifecycle.delete",
  kind: "admin",
  ownId: otherKey,
  missingId,
  call: async (c, fx) => expect(await c.tenants.lifecycle.delete.mutate({ tenantKey: fx.id })).toEqual({ status: "closed" }),
});
securityMatrix<string>({
  name: "tenants.lifecycle.suspend",
  kind: "admin",
  ownId: ownKey,
  missingId,
  call: async (c, fx) => expect(await c.tenants.lifecycle.suspend.mutate({ tenantKey: fx.id, reason: "matrix" })).toEqual({ status: "suspended" }),
});
securityMatrix<string>({
  name: "tenants.lifecycle.resume",
  kind: "admin",
  ownId: ownKey,
  missingId,
  call: async (c, fx) => {
    await putInStatus(fx.id, "suspended");
    expect(await c.tenants.lifecycle.resume.mutate({ tenantKey: fx.id })).toEqual({ status: "active" });
  },
});
securityMatrix<string>({
  name: "tenants.lifecycle.purge",
  kind: "admin",
  ownId: ownKey,
  missingId,
  call: async (c, fx) => {
    await putInStatus(fx.id, "closed");
    expect(await c.tenants.lifecycle.purge.mutate({ tenantKey: fx.id, force: true })).toMatchObject({ status: "purged" });
  },
});
