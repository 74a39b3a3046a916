/**
 * The shared security matrix: one call per procedure registers the tests every
 * procedure of its kind must pass (no token, bad tokens, revoked session, and
 * per kind: tenant selection, membership, tenant status, roles, other tenants'
 * ids, super admin only). Each matrix has its own users; every test gets fresh
 * sessions and fresh businesses, so a mutating procedure cannot disturb the
 * next case. Each matrix also proves the allowed callers succeed, so a refusal
 * is never the procedure simply being broken.
 *
 * @example
 * securityMatrix({
 *   name: "products.get",
 *   kind: "tenant",
 *   permission: { allowedRoles: ["owner", "manager", "staff"], refusedRoles: [{ role: "staff", permissions: [] }] },
 *   ownId: (fx) => makeProduct(fx.owner, fx.tenant),        // an id in the caller's business
 *   foreignId: (fx) => makeProduct(fx.other.owner, fx.other.tenant), // an id in another business
 *   missingId: 2_147_483_647,
 *   call: (c, fx) => c.products.get.query({ id: fx.id }),
 * });
 */
import { beforeAll, describe, test as bunTest } from "bun:test";
import { SignJWT, decodeJwt } from "jose";
import type { MemberRole } from "../../src/db/schema/enums.ts";
import { env } from "../../src/env.ts";
import { createTokenIssuer } from "../../src/lib/tokens.ts";
import { DEFAULT_ROLES } from "../../src/services/tenants/permissions.ts";
import { client, expectCode } from "./client.ts";
import {
  addMember,
  createTenant,
  createUser,
  defaultPermissions,
  newSession,
  setTenantStatus,
  unique,
  type Principal,
  type TestTenant,
  type TestUser,
} from "./fixtures.ts";
import { appProcedures, type ProcedureKind } from "./procedures.ts";
import { recordSecret } from "./secrets.ts";

export type Client = ReturnType<typeof client>;
export type MatrixKind = "tenant" | "customer" | "admin" | "authed";
/** A role name (with that role's default permissions) or an explicit membership. */
export type RoleSpec = MemberRole | { role: MemberRole; permissions: string[] };

/** An id no row has (the largest integer column value). */
export const MISSING_ID = 2_147_483_647;

/** The role's default permissions minus one: the role name stays, the permission goes. */
export const withoutPermission = (role: "manager" | "staff", permission: string): RoleSpec => ({
  role,
  permissions: DEFAULT_ROLES.find((r) => r.name === role)!.permissions.filter((p) => p !== permission),
});

export interface MatrixFixture<Id = undefined> {
  /** Who makes the call in this case. */
  caller: Principal;
  /** Owner of `tenant`, an active business (for tenant procedures the one named in x-tenant-id). */
  owner: Principal;
  tenant: TestTenant;
  /** Another active business and its owner: where foreign ids live (for customer procedures, another customer). */
  other: { owner: Principal; tenant: TestTenant };
  /** From `ownId` for allowed calls, `foreignId` in the cross-tenant case, `missingId` in the missing case. */
  id: Id;
}

export type Arranged = Omit<MatrixFixture<never>, "id" | "caller">;

export interface MatrixSpec<Id = undefined> {
  name: string;
  kind: MatrixKind;
  call: (c: Client, fx: MatrixFixture<Id>) => Promise<unknown>;
  /** Tenant procedures only (ignored otherwise); default: only the owner is tested, and must be allowed. */
  permission?: { allowedRoles: RoleSpec[]; refusedRoles: RoleSpec[] };
  /** Makes the entity an allowed caller works on (in `fx.tenant`, or owned by the caller for customer procedures). */
  ownId?: (fx: Arranged & { caller: Principal }) => Promise<Id>;
  /** Makes an entity the caller must not reach: in `fx.other.tenant` (customer: owned by `fx.other.owner`). */
  foreignId?: (fx: Arranged & { caller: Principal }) => Promise<Id>;
  /** An id that exists nowhere. */
  missingId?: Id;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Tokens that name `victim`'s live session but must be refused: each is wrong
 * in exactly one way. `otherUserId` is used to tamper with the subject.
 */
export async function badTokens(victim: Principal, otherUserId: number): Promise<{ label: string; token: string }[]> {
  const claims = { userId: victim.userId, sessionId: victim.sessionId };
  const anHourAgo = new Date(Date.now() - 3_600_000);
  const expired = await createTokenIssuer({ secret: env.JWT_SECRET!, now: () => anHourAgo }).signAccess(claims);
  const otherSecret = await createTokenIssuer({ secret: `another-secret-${crypto.randomUUID()}` }).signAccess(claims);
  const payload = decodeJwt(victim.token);
  const [header, , signature] = victim.token.split(".");
  const tampered = `${header}.${b64url({ ...payload, sub: String(otherUserId) })}.${signature}`;
  const algNone = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.`;
  const key = new TextEncoder().encode(env.JWT_SECRET!);
  const wrongAudience = await new SignJWT({ sid: victim.sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(String(victim.userId))
    .setIssuer("desibazaar")
    .setAudience("someone-else")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
  const list = [
    { label: "not a JWT", token: "not-a-jwt" },
    { label: "expired", token: expired.token },
    { label: "signed with another secret", token: otherSecret.token },
    { label: "tampered subject", token: tampered },
    { label: "alg none", token: algNone },
    { label: "wrong audience", token: wrongAudience },
  ];
  for (const t of list) recordSecret(t.token);
  return list;
}

const roleLabel = (spec: RoleSpec) => (typeof spec === "string" ? spec : `${spec.role} with [${spec.permissions.join(", ")}]`);
const membership = (spec: RoleSpec) => (typeof spec === "string" ? { role: spec, permissions: defaultPermissions(spec) } : spec);

/** Users are made once per matrix; sessions, businesses and memberships are made per test. */
function castOf() {
  let made: Promise<Record<"owner" | "otherOwner" | "stranger" | "customer" | "superAdmin", TestUser>> | undefined;
  const members = new Map<string, Promise<TestUser>>();
  return {
    users: () =>
      (made ??= (async () => {
        const [owner, otherOwner, stranger, customer, superAdmin] = await Promise.all([
          createUser({ name: "Matrix Owner" }),
          createUser({ name: "Other Owner" }),
          createUser({ name: "Stranger" }),
          createUser({ name: "Customer" }),
          createUser({ name: "Super Admin", superAdmin: true }),
        ]);
        return { owner: owner!, otherOwner: otherOwner!, stranger: stranger!, customer: customer!, superAdmin: superAdmin! };
      })()),
    member: (spec: RoleSpec) => {
      const key = roleLabel(spec);
      if (!members.has(key)) members.set(key, createUser({ name: `Member ${key}` }));
      return members.get(key)!;
    },
  };
}

/** Per case: sessions, businesses and members are made per test, and a busy machine is slow at it. */
const CASE_TIMEOUT_MS = 30_000;

/** Which builders a matrix kind can stand for: an "admin" matrix also covers owner-or-admin calls built on authedProcedure. */
const COVERS: Record<MatrixKind, ProcedureKind[]> = { tenant: ["tenant"], customer: ["customer"], admin: ["admin", "authed"], authed: ["authed"] };

/**
 * A matrix must name a procedure of the app router, of a kind it can test: a
 * typo or a stale name fails loudly. (test/routers/security-coverage.test.ts
 * checks the other way: every procedure has a matrix.)
 */
function register(spec: { name: string; kind: MatrixKind }): void {
  const procedure = appProcedures().find((p) => p.path === spec.name);
  if (!procedure) throw new Error(`securityMatrix: "${spec.name}" is not a procedure of the app router`);
  if (!COVERS[spec.kind].includes(procedure.kind)) {
    throw new Error(`securityMatrix: "${spec.name}" is a ${procedure.kind} procedure; a ${spec.kind} matrix cannot test it`);
  }
}

export function securityMatrix<Id = undefined>(spec: MatrixSpec<Id>): void {
  register(spec);
  const cast = castOf();

  async function arrange(): Promise<Arranged & { users: Awaited<ReturnType<typeof cast.users>> }> {
    const users = await cast.users();
    const [owner, otherOwner] = await Promise.all([newSession(users.owner), newSession(users.otherOwner)]);
    const [tenant, otherTenant] = await Promise.all([createTenant(users.owner), createTenant(users.otherOwner)]);
    return { users, owner, tenant, other: { owner: otherOwner, tenant: otherTenant } };
  }

  /** The principal that must be allowed for this kind of procedure, or a member holding `role`. */
  async function callerFor(base: Awaited<ReturnType<typeof arrange>>, role?: RoleSpec): Promise<Principal> {
    if (spec.kind === "admin") return newSession(base.users.superAdmin);
    if (spec.kind !== "tenant") return newSession(base.users.customer);
    if (!role || role === "owner") return base.owner;
    const user = await cast.member(role);
    const { role: name, permissions } = membership(role);
    await addMember(base.tenant, user, name, permissions);
    return newSession(user);
  }

  const clientFor = (caller: { token?: string } | null, tenant?: TestTenant, extra: Parameters<typeof client>[0] = {}) =>
    client({ token: caller?.token, tenant: spec.kind === "tenant" ? tenant?.tenantKey : undefined, ...extra });

  async function callAs(caller: Principal, base: Arranged, id: Id, c: Client = clientFor(caller, base.tenant)) {
    return spec.call(c, { ...base, caller, id });
  }

  const ownIdFor = (base: Arranged, caller: Principal) => (spec.ownId ? spec.ownId({ ...base, caller }) : Promise.resolve(undefined as Id));

  const test = (name: string, fn: () => Promise<unknown>) => bunTest(name, fn, CASE_TIMEOUT_MS);

  describe(`security matrix: ${spec.name} (${spec.kind})`, () => {
    beforeAll(() => cast.users().then(() => undefined), 60_000);

    const allowedRoles = spec.kind === "tenant" ? (spec.permission?.allowedRoles ?? ["owner"]) : [undefined];
    for (const role of allowedRoles) {
      test(`allowed: ${role ? roleLabel(role) : spec.kind === "admin" ? "a super admin" : "a signed-in user"}`, async () => {
        const base = await arrange();
        const caller = await callerFor(base, role);
        await callAs(caller, base, await ownIdFor(base, caller));
      });
    }

    test("no token → UNAUTHORIZED", async () => {
      const base = await arrange();
      const id = await ownIdFor(base, base.owner);
      await expectCode(callAs(base.owner, base, id, clientFor(null, base.tenant)), "UNAUTHORIZED");
    });

    test("bad or forged tokens (expired, other secret, tampered, alg none, wrong audience) → UNAUTHORIZED", async () => {
      const base = await arrange();
      const caller = await callerFor(base);
      const id = await ownIdFor(base, caller);
      for (const { label, token } of await badTokens(caller, base.other.owner.userId)) {
        await expectCode(callAs(caller, base, id, clientFor({ token }, base.tenant)), "UNAUTHORIZED").catch((e) => {
          throw new Error(`token "${label}" was not refused with UNAUTHORIZED: ${e}`);
        });
      }
      const basic = clientFor(null, base.tenant, { headers: { authorization: `Basic ${btoa(`${caller.email}:x`)}` } });
      await expectCode(callAs(caller, base, id, basic), "UNAUTHORIZED");
    });

    test("revoked session (after auth.logout) → UNAUTHORIZED", async () => {
      const base = await arrange();
      const caller = await callerFor(base);
      const id = await ownIdFor(base, caller);
      await client({ token: caller.token }).auth.logout.mutate({});
      await expectCode(callAs(caller, base, id), "UNAUTHORIZED");
    });

    if (spec.kind === "tenant") tenantCases();
    if (spec.kind === "admin") {
      test("signed-in users who are not super admins (even business owners) → FORBIDDEN", async () => {
        const base = await arrange();
        const id = await ownIdFor(base, base.owner);
        for (const user of [base.owner, await newSession(base.users.customer)]) {
          await expectCode(callAs(user, base, id, client({ token: user.token, tenant: base.tenant.tenantKey })), "FORBIDDEN");
        }
      });
    }
    if (spec.foreignId && spec.kind !== "tenant") {
      test("another customer's id → NOT_FOUND", async () => {
        const base = await arrange();
        const caller = await callerFor(base);
        await expectCode(callAs(caller, base, await spec.foreignId!({ ...base, caller })), "NOT_FOUND");
      });
    }
    if (spec.missingId !== undefined) {
      test("an id that does not exist → NOT_FOUND", async () => {
        const base = await arrange();
        await expectCode(callAs(await callerFor(base), base, spec.missingId!), "NOT_FOUND");
      });
    }
  });

  function tenantCases() {
    const withTenantRef = async (tenantRef: string | undefined, code: "BAD_REQUEST" | "NOT_FOUND") => {
      const base = await arrange();
      const id = await ownIdFor(base, base.owner);
      await expectCode(callAs(base.owner, base, id, client({ token: base.owner.token, tenant: tenantRef })), code);
    };
    test("no tenant selected → BAD_REQUEST", () => withTenantRef(undefined, "BAD_REQUEST"));
    test("malformed x-tenant-id → BAD_REQUEST", () => withTenantRef("Not A Slug!", "BAD_REQUEST"));
    test("unknown tenantKey → NOT_FOUND", () => withTenantRef(crypto.randomUUID(), "NOT_FOUND"));
    test("unknown slug → NOT_FOUND", () => withTenantRef(unique("no-such-shop-"), "NOT_FOUND"));

    test("signed-in non-member, and a super admin who is not a member → FORBIDDEN", async () => {
      const base = await arrange();
      const id = await ownIdFor(base, base.owner);
      for (const user of [base.users.stranger, base.users.superAdmin, base.users.otherOwner]) {
        await expectCode(callAs(await newSession(user), base, id), "FORBIDDEN");
      }
    });

    for (const [status, code] of [["suspended", "FORBIDDEN"], ["closed", "NOT_FOUND"]] as const) {
      test(`${status} business, even for its owner → ${code}`, async () => {
        const base = await arrange();
        const id = await ownIdFor(base, base.owner);
        await setTenantStatus(base.tenant.businessId, status);
        await expectCode(callAs(base.owner, base, id), code);
      });
    }

    for (const role of spec.permission?.refusedRoles ?? []) {
      test(`wrong role: ${roleLabel(role)} → FORBIDDEN`, async () => {
        const base = await arrange();
        const id = await ownIdFor(base, base.owner);
        await expectCode(callAs(await callerFor(base, role), base, id), "FORBIDDEN");
      });
    }

    if (spec.foreignId) {
      test("another business's id, by an owner of this one → NOT_FOUND", async () => {
        const base = await arrange();
        await expectCode(callAs(base.owner, base, await spec.foreignId!({ ...base, caller: base.owner })), "NOT_FOUND");
      });
    }
  }
}
