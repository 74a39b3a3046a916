/** The shared security matrix for directory.update (directory.search is public). */
import { expect, setDefaultTimeout } from "bun:test";
import { securityMatrix } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

securityMatrix({
  name: "directory.update",
  kind: "tenant",
  // Owner only: the listing is the business's public face. "*" on a manager's membership does not make it an owner.
  permission: { allowedRoles: ["owner"], refusedRoles: ["manager", "staff", { role: "manager", permissions: ["*"] }] },
  call: async (c) => expect((await c.directory.update.mutate({ city: "Pune" })).city).toBe("Pune"),
});
