/** The shared security matrix for bookings.* (the business's side): staff read and move bookings by default. */
import { expect, setDefaultTimeout } from "bun:test";
import { makeBooking, makeService, quickUser, type TestTenant } from "../setup/fixtures.ts";
import { MISSING_ID, securityMatrix, withoutPermission } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

/** A pending booking by a new customer, with a new service of that business. */
async function bookingIn(owner: { userId: number }, tenant: TestTenant) {
  const service = await makeService(owner, tenant);
  return (await makeBooking(await quickUser(), tenant, { serviceId: service.id })).id;
}

securityMatrix({
  name: "bookings.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [withoutPermission("staff", "bookings:read"), withoutPermission("manager", "bookings:read")] },
  ownId: (fx) => bookingIn(fx.owner, fx.tenant),
  call: async (c, fx) => expect((await c.bookings.list.query()).map((b) => b.id)).toEqual([fx.id]),
});

securityMatrix({
  name: "bookings.updateStatus",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [withoutPermission("staff", "bookings:write"), withoutPermission("manager", "bookings:write")] },
  ownId: (fx) => bookingIn(fx.owner, fx.tenant),
  foreignId: (fx) => bookingIn(fx.other.owner, fx.other.tenant),
  missingId: MISSING_ID,
  call: async (c, fx) => expect((await c.bookings.updateStatus.mutate({ id: fx.id, status: "confirmed" })).status).toBe("confirmed"),
});
