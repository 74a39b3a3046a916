/** The shared security matrix for orders.* (the business's side). */
import { expect, setDefaultTimeout } from "bun:test";
import { securityMatrix, withoutPermission } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

securityMatrix({
  name: "orders.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [withoutPermission("staff", "orders:read"), withoutPermission("manager", "orders:read")] },
  call: async (c) => expect(await c.orders.list.query()).toEqual([]),
});
