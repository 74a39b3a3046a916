/**
 * The shared security matrix for the signed-in auth procedures (register,
 * login and refresh are public). A revoked session stops working for both, so
 * a logout is final.
 */
import { expect, setDefaultTimeout } from "bun:test";
import { securityMatrix } from "../setup/security-matrix.ts";

setDefaultTimeout(30_000);

securityMatrix({
  name: "auth.me",
  kind: "authed",
  call: async (c, fx) => expect(await c.auth.me.query()).toMatchObject({ userId: fx.caller.userId, email: fx.caller.email }),
});

securityMatrix({
  name: "auth.logout",
  kind: "authed",
  call: async (c) => expect(await c.auth.logout.mutate({})).toEqual({ ok: true }),
});
