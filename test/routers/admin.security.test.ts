/** The shared security matrix for the super-admin procedures of the admin router. */
import { expect } from "bun:test";
import { securityMatrix } from "../setup/security-matrix.ts";

securityMatrix({
  name: "admin.users.setBusinessLimit",
  kind: "admin",
  call: async (c, fx) => {
    const result = await c.admin.users.setBusinessLimit.mutate({ userId: fx.owner.userId, limit: 3 });
    expect(result).toEqual({ userId: fx.owner.userId, limit: 3 });
  },
});
