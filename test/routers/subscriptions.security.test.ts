/** The shared security matrix for subscriptions.*: any member looks; billing is the owner's alone, whatever permissions a member holds. */
import { expect, setDefaultTimeout } from "bun:test";
import { securityMatrix } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

securityMatrix({
  name: "subscriptions.current",
  kind: "tenant",
  permission: { allowedRoles: ["owner", "manager", "staff", { role: "staff", permissions: [] }], refusedRoles: [] },
  call: async (c) => expect(await c.subscriptions.current.query()).toMatchObject({ planId: "free", status: "trialing" }),
});

securityMatrix({
  name: "subscriptions.changePlan",
  kind: "tenant",
  // Billing is the owner's alone, whatever permissions a member holds.
  permission: { allowedRoles: ["owner"], refusedRoles: ["manager", "staff", { role: "manager", permissions: ["*"] }] },
  call: async (c) => expect(await c.subscriptions.changePlan.mutate({ planId: "standard" })).toMatchObject({ change: "started" }),
});

securityMatrix({
  name: "subscriptions.cancel",
  kind: "tenant",
  permission: { allowedRoles: ["owner"], refusedRoles: ["manager", "staff"] },
  call: async (c) => expect(await c.subscriptions.cancel.mutate()).toMatchObject({ subscription: { cancelAtPeriodEnd: true } }),
});
