/**
 * The shared security matrix for the catalogue routers (categories, products,
 * services). Roles follow DEFAULT_ROLES: owners hold everything, managers may
 * read, write and delete the catalogue, staff may only read it. Each refused
 * case includes a member whose role name is right but who lacks the one
 * permission, so a refusal proves the permission is checked, not the role name.
 */
import { expect, setDefaultTimeout } from "bun:test";
import { DEFAULT_ROLES } from "../../src/services/tenants/permissions.ts";
import { unique } from "../setup/fixtures.ts";
import { makeCategory, makeProduct } from "../setup/marketplace-fixtures.ts";
import { securityMatrix, type RoleSpec } from "../setup/security-matrix.ts";

// Each case provisions two businesses and sessions; a busy 2-core machine needs more than 5 s.
setDefaultTimeout(30_000);

/** The role's default permissions minus one: the role name stays, the permission goes. */
const without = (role: "manager" | "staff", permission: string): RoleSpec => ({
  role,
  permissions: DEFAULT_ROLES.find((r) => r.name === role)!.permissions.filter((p) => p !== permission),
});

const READ = { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [without("staff", "catalog:read"), without("manager", "catalog:read")] } satisfies {
  allowedRoles: RoleSpec[];
  refusedRoles: RoleSpec[];
};
const WRITE = { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", without("manager", "catalog:write")] } satisfies typeof READ;
const MISSING = 2_147_483_647;

securityMatrix({
  name: "categories.create",
  kind: "tenant",
  permission: WRITE,
  call: async (c) => expect((await c.categories.create.mutate({ name: `Spices ${unique()}` })).id).toBeGreaterThan(0),
});

securityMatrix({
  name: "categories.list",
  kind: "tenant",
  permission: READ,
  ownId: (fx) => makeCategory(fx.owner, fx.tenant).then((c) => c.id),
  // Provisioning may seed default categories, so the one made here need only be among them.
  call: async (c, fx) => expect((await c.categories.list.query()).map((x) => x.id)).toContain(fx.id),
});

securityMatrix({
  name: "products.create",
  kind: "tenant",
  permission: WRITE,
  // The id here is the category the new product goes in: another business's category must be NOT_FOUND.
  ownId: (fx) => makeCategory(fx.owner, fx.tenant).then((c) => c.id),
  foreignId: (fx) => makeCategory(fx.other.owner, fx.other.tenant).then((c) => c.id),
  missingId: MISSING,
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
  missingId: MISSING,
  call: async (c, fx) => expect((await c.products.get.query({ id: fx.id })).id).toBe(fx.id),
});

securityMatrix({
  name: "products.update",
  kind: "tenant",
  permission: WRITE,
  ownId: (fx) => makeProduct(fx.owner, fx.tenant).then((p) => p.id),
  foreignId: (fx) => makeProduct(fx.other.owner, fx.other.tenant).then((p) => p.id),
  missingId: MISSING,
  call: async (c, fx) => expect((await c.products.update.mutate({ id: fx.id, priceCents: 999 })).priceCents).toBe(999),
});

securityMatrix({
  name: "products.delete",
  kind: "tenant",
  // Staff cannot delete products; nor can a manager whose membership lacks catalog:delete (but has catalog:write).
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", without("manager", "catalog:delete"), { role: "staff", permissions: ["catalog:read", "catalog:write"] }] },
  ownId: (fx) => makeProduct(fx.owner, fx.tenant).then((p) => p.id),
  foreignId: (fx) => makeProduct(fx.other.owner, fx.other.tenant).then((p) => p.id),
  missingId: MISSING,
  call: async (c, fx) => expect(await c.products.delete.mutate({ id: fx.id })).toEqual({ id: fx.id, deleted: true }),
});

securityMatrix({
  name: "services.create",
  kind: "tenant",
  permission: WRITE,
  call: async (c) => expect((await c.services.create.mutate({ name: "Haircut", durationMinutes: 30, priceCents: 500 })).durationMinutes).toBe(30),
});

securityMatrix({
  name: "services.list",
  kind: "tenant",
  permission: READ,
  call: async (c) => expect(await c.services.list.query()).toEqual([]),
});
