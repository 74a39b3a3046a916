/**
 * The shared security matrix for search.*: every member who may read the
 * catalogue may search it and get a token; a member without catalog:read may
 * not. Searches here find nothing (a fresh business, no worker indexing): the
 * matrix is about who may call; test/search/ proves what a call can see.
 */
import { expect, setDefaultTimeout } from "bun:test";
import { decodeJwt } from "jose";
import { securityMatrix, withoutPermission, type RoleSpec } from "../setup/security-matrix.ts";
import { recordSecret } from "../setup/secrets.ts";

setDefaultTimeout(30_000);

const READ: { allowedRoles: RoleSpec[]; refusedRoles: RoleSpec[] } = {
  allowedRoles: ["owner", "manager", "staff"],
  refusedRoles: [withoutPermission("staff", "catalog:read"), withoutPermission("manager", "catalog:read")],
};

securityMatrix({
  name: "search.products",
  kind: "tenant",
  permission: READ,
  call: async (c) => expect(await c.search.products.query({ q: "" })).toMatchObject({ hits: [], estimatedTotalHits: 0 }),
});

securityMatrix({
  name: "search.services",
  kind: "tenant",
  permission: READ,
  call: async (c) => expect(await c.search.services.query({ q: "" })).toMatchObject({ hits: [], estimatedTotalHits: 0 }),
});

securityMatrix({
  name: "search.token",
  kind: "tenant",
  permission: READ,
  call: async (c, fx) => {
    const issued = await c.search.token.query();
    recordSecret(issued.token);
    const rules = decodeJwt(issued.token).searchRules as Record<string, { filter: string }>;
    expect(Object.values(rules).map((r) => r.filter)).toEqual([`tenant_id = ${fx.tenant.businessId}`, `tenant_id = ${fx.tenant.businessId}`]);
  },
});
