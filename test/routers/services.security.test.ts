/** The shared security matrix for services.* (bookable services): owners and managers write, staff read. */
import { expect, setDefaultTimeout } from "bun:test";
import { securityMatrix, withoutPermission } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

securityMatrix({
  name: "services.create",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", withoutPermission("manager", "catalog:write")] },
  call: async (c) => expect((await c.services.create.mutate({ name: "Haircut", durationMinutes: 30, priceCents: 500 })).durationMinutes).toBe(30),
});

securityMatrix({
  name: "services.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [withoutPermission("staff", "catalog:read"), withoutPermission("manager", "catalog:read")] },
  call: async (c) => expect(await c.services.list.query()).toEqual([]),
});
