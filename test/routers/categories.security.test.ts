/**
 * The shared security matrix for categories.*. Roles follow DEFAULT_ROLES:
 * owners and managers write the catalogue, staff only read it. Each refused case
 * includes a member whose role name is right but who lacks the one permission,
 * so a refusal proves the permission is checked, not the role name.
 */
import { expect, setDefaultTimeout } from "bun:test";
import { makeCategory, unique } from "../setup/fixtures.ts";
import { securityMatrix, withoutPermission } from "../setup/security-matrix.ts";

// Each case provisions two businesses and sessions; a busy 2-core machine needs more than 5 s.
setDefaultTimeout(30_000);

securityMatrix({
  name: "categories.create",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", withoutPermission("manager", "catalog:write")] },
  call: async (c) => expect((await c.categories.create.mutate({ name: `Spices ${unique()}` })).id).toBeGreaterThan(0),
});

securityMatrix({
  name: "categories.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [withoutPermission("staff", "catalog:read"), withoutPermission("manager", "catalog:read")] },
  ownId: (fx) => makeCategory(fx.owner, fx.tenant).then((c) => c.id),
  // Provisioning may seed default categories, so the one made here need only be among them.
  call: async (c, fx) => expect((await c.categories.list.query()).map((x) => x.id)).toContain(fx.id),
});
