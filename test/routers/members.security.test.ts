/**
 * The shared security matrix for members.*: owners and managers manage staff;
 * the default staff role holds no members permission at all, so it can neither
 * manage nor list members.
 */
import { expect, setDefaultTimeout } from "bun:test";
import { member, quickUser } from "../setup/fixtures.ts";
import { MISSING_ID, securityMatrix, withoutPermission } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

securityMatrix({
  name: "members.invite",
  kind: "tenant",
  permission: {
    allowedRoles: ["owner", "manager"],
    refusedRoles: ["staff", withoutPermission("manager", "members:write"), { role: "staff", permissions: ["members:read"] }],
  },
  // The "id" is the e-mail of the account to invite; an e-mail no account uses is NOT_FOUND.
  ownId: () => quickUser().then((u) => u.email),
  missingId: `nobody-${crypto.randomUUID()}@example.test`,
  call: async (c, fx) => expect((await c.members.invite.mutate({ email: fx.id, role: "staff" })).role).toBe("staff"),
});

securityMatrix({
  name: "members.list",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", withoutPermission("manager", "members:read")] },
  call: async (c, fx) => expect((await c.members.list.query()).map((m) => m.userId)).toContain(fx.caller.userId),
});

securityMatrix({
  name: "members.remove",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager"], refusedRoles: ["staff", withoutPermission("manager", "members:write")] },
  ownId: (fx) => member(fx.tenant, "staff").then((m) => m.userId),
  foreignId: (fx) => member(fx.other.tenant, "staff").then((m) => m.userId),
  missingId: MISSING_ID,
  call: async (c, fx) => expect(await c.members.remove.mutate({ userId: fx.id })).toEqual({ userId: fx.id, removed: true }),
});
