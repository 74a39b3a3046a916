/**
 * The shared security matrix for the business-side routers: bookings, orders,
 * members and directory.update. Roles follow DEFAULT_ROLES: staff read and
 * move bookings and read orders, but hold no members permission at all (so
 * they can neither manage nor list members); directory.update is the owner's
 * alone, even for a manager holding "*".
 */
import { expect, setDefaultTimeout } from "bun:test";
import { DEFAULT_ROLES } from "../../src/services/tenants/permissions.ts";
import { makeBooking, makeService, member, quickUser } from "../setup/marketplace-fixtures.ts";
import { securityMatrix, type RoleSpec } from "../setup/security-matrix.ts";

// Each case provisions two businesses and sessions; a busy 2-core machine needs more than 5 s.
setDefaultTimeout(30_000);

const without = (role: "manager" | "staff", permission: string): RoleSpec => ({
  role,
  permissions: DEFAULT_ROLES.find((r) => r.name === role)!.permissions.filter((p) => p !== permission),
});
const MISSING = 2_147_483_647;

/** A pending booking by a new customer, with a new service of that business. */
async function bookingIn(owner: { userId: number }, tenant: Parameters<typeof makeBooking>[1]) {
  const service = await makeService(owner, tenant);
  return (await makeBooking(await quickUser(), tenant, { serviceId: service.id })).id;
}

securityMatrix({
  name: "bookings.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [without("staff", "bookings:read"), without("manager", "bookings:read")] },
  ownId: (fx) => bookingIn(fx.owner, fx.tenant),
  call: async (c, fx) => expect((await c.bookings.list.query()).map((b) => b.id)).toEqual([fx.id]),
});

securityMatrix({
  name: "bookings.updateStatus",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [without("staff", "bookings:write"), without("manager", "bookings:write")] },
  ownId: (fx) => bookingIn(fx.owner, fx.tenant),
  foreignId: (fx) => bookingIn(fx.other.owner, fx.other.tenant),
  missingId: MISSING,
  call: async (c, fx) => expect((await c.bookings.updateStatus.mutate({ id: fx.id, status: "confirmed" })).status).toBe("confirmed"),
});

securityMatrix({
  name: "orders.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [without("staff", "orders:read"), without("manager", "orders:read")] },
  call: async (c) => expect(await c.orders.list.query()).toEqual([]),
});

securityMatrix({
  name: "members.invite",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", without("manager", "members:write"), { role: "staff", permissions: ["members:read"] }] },
  // The "id" is the e-mail of the account to invite; an e-mail no account uses is NOT_FOUND.
  ownId: () => quickUser().then((u) => u.email),
  missingId: `nobody-${crypto.randomUUID()}@example.test`,
  call: async (c, fx) => expect((await c.members.invite.mutate({ email: fx.id, role: "staff" })).role).toBe("staff"),
});

securityMatrix({
  name: "members.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", without("manager", "members:read")] },
  call: async (c, fx) => expect((await c.members.list.query()).map((m) => m.userId)).toContain(fx.caller.userId),
});

securityMatrix({
  name: "members.remove",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", without("manager", "members:write")] },
  ownId: (fx) => member(fx.tenant, "staff").then((m) => m.userId),
  foreignId: (fx) => member(fx.other.tenant, "staff").then((m) => m.userId),
  missingId: MISSING,
  call: async (c, fx) => expect(await c.members.remove.mutate({ userId: fx.id })).toEqual({ userId: fx.id, removed: true }),
});

securityMatrix({
  name: "directory.update",
  kind: "tenant",
  // Owner only: the listing is the business's public face. "*" on a manager's membership does not make it an owner.
  permission: { allowedRoles: ["owner"], refusedRoles: ["manager", "staff", { role: "manager", permissions: ["*"] }] },
  call: async (c) => expect((await c.directory.update.mutate({ city: "Pune" })).city).toBe("Pune"),
});
