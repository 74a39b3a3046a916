/**
 * The shared security matrix on every files procedure (and tenants.setLogo):
 * no or bad tokens, revoked sessions, tenant selection, non-members, suspended
 * and closed businesses, roles without files:read / files:write, another
 * business's file id and a missing one. Files are uploaded through the harness
 * app (the storage configured by the environment) and removed afterwards.
 */
import { afterAll, expect, setDefaultTimeout } from "bun:test";
import { deleteAllTenantFiles } from "../../src/services/files/delete-all.ts";
import { DEFAULT_ROLES } from "../../src/services/tenants/permissions.ts";
import type { Principal, TestTenant } from "../setup/fixtures.ts";
import { app, scopes } from "../setup/harness.ts";
import { securityMatrix, type RoleSpec } from "../setup/security-matrix.ts";
import { png, upload } from "./support.ts";

setDefaultTimeout(30_000);

const touched = new Set<number>();
afterAll(async () => {
  for (const businessId of touched) await scopes.asSuperAdmin((s) => deleteAllTenantFiles(s, businessId));
}, 60_000);

async function fileIn(who: Principal, tenant: TestTenant, category = "products"): Promise<number> {
  touched.add(tenant.businessId);
  const res = await upload(app, { token: who.token, tenant: tenant.tenantKey, category, bytes: png() });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

const without = (role: "manager" | "staff", permission: string): RoleSpec => ({
  role,
  permissions: DEFAULT_ROLES.find((r) => r.name === role)!.permissions.filter((p) => p !== permission),
});
const READ = { allowedRoles: ["owner", "manager", "staff"] as RoleSpec[], refusedRoles: [without("staff", "files:read"), without("manager", "files:read")] };
const WRITE = { allowedRoles: ["owner", "manager"] as RoleSpec[], refusedRoles: ["staff", without("manager", "files:write")] as RoleSpec[] };
const MISSING = 2_147_483_647;

securityMatrix({
  name: "files.list",
  kind: "tenant",
  permission: READ,
  ownId: (fx) => fileIn(fx.owner, fx.tenant),
  call: async (c, fx) => expect((await c.files.list.query({})).items.map((f) => f.id)).toEqual([fx.id]),
});

securityMatrix({
  name: "files.getDownloadUrl",
  kind: "tenant",
  permission: READ,
  ownId: (fx) => fileIn(fx.owner, fx.tenant),
  foreignId: (fx) => fileIn(fx.other.owner, fx.other.tenant),
  missingId: MISSING,
  call: async (c, fx) => expect((await c.files.getDownloadUrl.query({ id: fx.id })).url).toStartWith(`/files/${fx.id}?`),
});

securityMatrix({
  name: "files.delete",
  kind: "tenant",
  permission: WRITE,
  ownId: (fx) => fileIn(fx.owner, fx.tenant),
  foreignId: (fx) => fileIn(fx.other.owner, fx.other.tenant),
  missingId: MISSING,
  call: async (c, fx) => expect(await c.files.delete.mutate({ id: fx.id })).toEqual({ id: fx.id, deleted: true }),
});

securityMatrix({
  name: "files.usage",
  kind: "tenant",
  permission: READ,
  ownId: (fx) => fileIn(fx.owner, fx.tenant),
  call: async (c) => expect(await c.files.usage.query()).toEqual({ usedBytes: png().byteLength, limitBytes: 104_857_600 }),
});

securityMatrix({
  name: "tenants.setLogo",
  kind: "tenant",
  permission: { allowedRoles: ["owner"], refusedRoles: ["manager", "staff"] },
  ownId: (fx) => fileIn(fx.owner, fx.tenant, "logos"),
  foreignId: (fx) => fileIn(fx.other.owner, fx.other.tenant, "logos"),
  missingId: MISSING,
  call: async (c, fx) => expect(await c.tenants.setLogo.mutate({ fileId: fx.id })).toEqual({ logoFileId: fx.id }),
});
