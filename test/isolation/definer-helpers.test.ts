/**
 * SECURITY DEFINER helpers read across tenants, so each is granted only to the
 * role that needs it and checks the ids it is given against the signed context.
 * Called by hand on a login role's connection, none spends, reveals or changes
 * anything of another business or account.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { rowsOrCode as outcome } from "../setup/db-errors.ts";
import { addMember, createTenant, createUser, newSession, type TestTenant, type TestUser } from "../setup/fixtures.ts";
import postgres from "postgres";
import { scopes, urls } from "../setup/harness.ts";

let ownerA: TestUser, staffA: TestUser, ownerB: TestUser, A: TestTenant, B: TestTenant;
beforeAll(async () => {
  [ownerA, staffA, ownerB] = await Promise.all([createUser(), createUser(), createUser()]);
  [A, B] = await Promise.all([createTenant(ownerA), createTenant(ownerB)]);
  await addMember(A, staffA, "staff", ["catalog:read"]);
});

describe("the monthly booking allowance", () => {
  test("no login role can call the quota function: only the bookings trigger spends it, for the booking's own business", async () => {
    for (const [label, run] of [
      ["tenant", (q: ReturnType<typeof sql>) => scopes.asTenant(A.businessId, (s) => s.db.execute(q), { userId: ownerA.userId })],
      ["customer", (q: ReturnType<typeof sql>) => scopes.asCustomer(ownerA.userId, (s) => s.db.execute(q))],
    ] as const) {
      for (const name of ["app.consume_monthly_quota", "app_private.consume_monthly_quota"]) {
        const result = await outcome(run(sql`select ${sql.raw(name)}(${B.businessId}, 'bookings', now())`));
        expect({ label, name, refused: ["42501", "42883", "3F000"].includes(result.code ?? "") }).toEqual({ label, name, refused: true });
      }
    }
  });
});

describe("app.user_id_for_email (finding an account to invite)", () => {
  const lookup = (tenant: TestTenant, userId: number | undefined, email: string) =>
    scopes.asTenant(tenant.businessId, (s) => s.db.execute<{ id: string | null }>(sql`select app.user_id_for_email(${email}) as id`), { userId }).then((r) => r[0]!.id);

  test("control: the owner of a business, in its context, finds an account", async () => {
    expect(Number(await lookup(A, ownerA.userId, ownerB.email))).toBe(ownerB.userId);
  });

  test("a member without members:write, a context without a user, and another business's owner find nothing", async () => {
    expect(await lookup(A, staffA.userId, ownerB.email)).toBeNull();
    expect(await lookup(A, undefined, ownerB.email)).toBeNull();
    expect(await lookup(A, ownerB.userId, ownerA.email)).toBeNull(); // B's owner is no member of A
  });

  test("the customer and platform roles cannot call it", async () => {
    expect((await outcome(scopes.asCustomer(ownerA.userId, (s) => s.db.execute(sql`select app.user_id_for_email(${ownerB.email})`)))).code).toBe("42501");
    expect((await outcome(scopes.asPlatform((s) => s.db.execute(sql`select app.user_id_for_email(${ownerB.email})`)))).code).toBe("42501");
  });
});

describe("app.provisioning_allowance", () => {
  test("answers for the signed-in user only, and refuses without one", async () => {
    const mine = await scopes.asTenant(A.businessId, (s) => s.db.execute<{ created: string }>(sql`select created from app.provisioning_allowance()`), { userId: ownerA.userId });
    expect(Number(mine[0]!.created)).toBeGreaterThanOrEqual(1);
    expect((await outcome(scopes.asTenant(A.businessId, (s) => s.db.execute(sql`select * from app.provisioning_allowance()`)))).code).toBe("42501");
  });
});

describe("app.is_member_of (booking a named staff member)", () => {
  const asCustomerRole = async (query: string, params: number[]) => {
    const sql = postgres(urls.customer, { max: 1, onnotice: () => {} });
    try {
      return await sql.unsafe(query, params);
    } finally {
      await sql.end();
    }
  };

  test("control: a signed-in customer learns that A's staff member works at A, and not at B", async () => {
    const member = (business: TestTenant) =>
      scopes.asCustomer(ownerB.userId, (s) => s.db.execute<{ ok: boolean }>(sql`select app.is_member_of(${business.businessId}, ${staffA.userId}) as ok`)).then((r) => r[0]!.ok);
    expect(await member(A)).toBe(true);
    expect(await member(B)).toBe(false);
  });

  test("the customer role without a signed context learns nothing, even about a real member", async () => {
    const [row] = await asCustomerRole("select app.is_member_of($1, $2) as ok", [A.businessId, staffA.userId]);
    expect(row!.ok).toBe(false);
  });

  test("the tenant and platform roles cannot call it", async () => {
    const call = sql`select app.is_member_of(${A.businessId}, ${staffA.userId})`;
    expect((await outcome(scopes.asTenant(A.businessId, (s) => s.db.execute(call), { userId: ownerA.userId }))).code).toBe("42501");
    expect((await outcome(scopes.asPlatform((s) => s.db.execute(call)))).code).toBe("42501");
  });
});

describe("app.effective_plan_id", () => {
  test("is no longer callable by the customer or tenant role (it told anyone any business's plan)", async () => {
    const call = sql`select app.effective_plan_id(${B.businessId}, now())`;
    expect((await outcome(scopes.asCustomer(ownerA.userId, (s) => s.db.execute(call)))).code).toBe("42501");
    expect((await outcome(scopes.asTenant(A.businessId, (s) => s.db.execute(call), { userId: ownerA.userId }))).code).toBe("42501");
  });

  test("control: the platform role, which decides rate limits before any tenant transaction, reads it", async () => {
    const [row] = await scopes.asPlatform((s) => s.db.execute<{ plan: string }>(sql`select app.effective_plan_id(${B.businessId}, now()) as plan`));
    expect(typeof row!.plan).toBe("string");
  });
});

describe("app.tenant_request_access (the access check of every tenant request)", () => {
  const check = (tenant: TestTenant, contextUser: number | undefined, sessionId: string, user: number) =>
    outcome(
      scopes.asTenant(
        tenant.businessId,
        (s) => s.db.execute(sql`select tenant_key, role from app.tenant_request_access(${sessionId}::uuid, ${user}::bigint, null, false)`),
        { userId: contextUser },
      ),
    );

  test("control: A's owner, in A's signed context with a live session, is A's owner", async () => {
    const owner = await newSession(ownerA);
    expect(await check(A, ownerA.userId, owner.sessionId, ownerA.userId)).toEqual({ rows: [{ tenant_key: A.tenantKey, role: "owner" }] });
  });

  test("answers for the signed context's business and user only: another user's id, or no user in the context, is a session that ended", async () => {
    const [owner, other] = await Promise.all([newSession(ownerA), newSession(ownerB)]);
    // B's owner, with a live session of its own, cannot be asked about in a context signed for A's owner...
    expect(await check(A, ownerA.userId, other.sessionId, ownerB.userId)).toEqual({ code: "TA401" });
    // ...nor can A's owner be asked about without a user in the context.
    expect(await check(A, undefined, owner.sessionId, ownerA.userId)).toEqual({ code: "TA401" });
    // B's owner in A's context: A's business is named, and B's owner is no member of it.
    expect(await check(A, ownerB.userId, other.sessionId, ownerB.userId)).toEqual({ code: "TA403" });
  });

  test("the customer and platform roles cannot call it", async () => {
    const owner = await newSession(ownerA);
    const q = sql`select * from app.tenant_request_access(${owner.sessionId}::uuid, ${ownerA.userId}::bigint, null, false)`;
    expect((await outcome(scopes.asCustomer(ownerA.userId, (s) => s.db.execute(q)))).code).toBe("42501");
    expect((await outcome(scopes.asPlatform((s) => s.db.execute(q)))).code).toBe("42501");
  });
});
