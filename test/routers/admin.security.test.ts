/** The shared security matrix for the super-admin procedures of the admin router. */
import { expect } from "bun:test";
import { createUser } from "../setup/fixtures.ts";
import { securityMatrix } from "../setup/security-matrix.ts";

securityMatrix({
  name: "admin.users.setBusinessLimit",
  kind: "admin",
  // A user of its own: the matrix's owners keep provisioning businesses in later cases.
  call: async (c) => {
    const { userId } = await createUser();
    expect(await c.admin.users.setBusinessLimit.mutate({ userId, limit: 3 })).toEqual({ userId, limit: 3 });
  },
});
