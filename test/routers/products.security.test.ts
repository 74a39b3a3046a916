/**
 * The shared security matrix for products.*: owners and managers write and
 * delete, staff read; a member lacking the one permission its role name would
 * suggest is refused. Another business's product (or category) is NOT_FOUND.
 */
import { expect, setDefaultTimeout } from "bun:test";
import { makeCategory, makeProduct } from "../setup/fixtures.ts";
import { MISSING_ID, securityMatrix, withoutPermission, type RoleSpec } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

type Permission = { allowedRoles: RoleSpec[]; refusedRoles: RoleSpec[] };
const READ: Permission = { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [withoutPermission("staff", "catalog:read"), withoutPermission("manager", "catalog:read")] };
const WRITE: Permission = { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", withoutPermission("manager", "catalog:write")] };

securityMatrix({
  name: "products.create",
  kind: "tenant",
  permission: WRITE,
  // The id here is the category the new product goes in: another business's category must be NOT_FOUND.
  ownId: (fx) => makeCategory(fx.owner, fx.tenant).then((c) => c.id),
  foreignId: (fx) => makeCategory(fx.other.owner, fx.other.tenant).then((c) => c.id),
  missingId: MISSING_ID,
  call: async (c, fx) => expect((await c.products.create.mutate({ name: "Saffron", priceCents: 1250, categoryId: fx.id })).categoryId).toBe(fx.id),
});

securityMatrix({
  name: "products.list",
  kind: "tenant",
  permission: READ,
  ownId: (fx) => makeProduct(fx.owner, fx.tenant).then((p) => p.id),
  call: async (c, fx) => expect((await c.products.list.query({})).items.map((p) => p.id)).toEqual([fx.id]),
});

securityMatrix({
  name: "products.get",
  kind: "tenant",
  permission: READ,
  ownId: (fx) => makeProduct(fx.owner, fx.tenant).then((p) => p.id),
  foreignId: (fx) => makeProduct(fx.other.owner, fx.other.tenant).then((p) => p.id),
  missingId: MISSING_ID,
  call: async (c, fx) => expect((await c.products.get.query({ id: fx.id })).id).toBe(fx.id),
});

securityMatrix({
  name: "products.update",
  kind: "tenant",
  permission: WRITE,
  ownId: (fx) => makeProduct(fx.owner, fx.tenant).then((p) => p.id),
  foreignId: (fx) => makeProduct(fx.other.owner, fx.other.tenant).then((p) => p.id),
  missingId: MISSING_ID,
  call: async (c, fx) => expect((await c.products.update.mutate({ id: fx.id, priceCents: 999 })).priceCents).toBe(999),
});

securityMatrix({
  name: "products.delete",
  kind: "tenant",
  // Staff cannot delete products; nor can a manager whose membership lacks catalog:delete (but has catalog:write).
  permission: {
    allowedRoles: ["owner", "manager"],
    refusedRoles: ["staff", withoutPermission("manager", "catalog:delete"), { role: "staff", permissions: ["catalog:read", "catalog:write"] }],
  },
  ownId: (fx) => makeProduct(fx.owner, fx.tenant).then((p) => p.id),
  foreignId: (fx) => makeProduct(fx.other.owner, fx.other.tenant).then((p) => p.id),
  missingId: MISSING_ID,
  call: async (c, fx) => expect(await c.products.delete.mutate({ id: fx.id })).toEqual({ id: fx.id, deleted: true }),
});
