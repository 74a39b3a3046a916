/**
 * What each login role can and cannot do whatever SQL reaches its connection.
 * The guarantee DESIGN.md makes: no setting the tenant connection writes widens
 * it beyond one tenant, and super-admin visibility lives only in its own role,
 * which no other role can assume. The context itself is signed: see
 * signed-context.test.ts for forged, altered and replayed contexts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql, type SQL } from "drizzle-orm";
import { contextKey, ownerUrl, scopes, scopesFor, urls } from "../setup/harness.ts";
import { contextSigner } from "../../src/lib/context-signature.ts";
import { businessIdsByTable, connectOwner, policiesFor, tenantPolicies, tenantTables, ROLE } from "../setup/catalog.ts";
import { outcome } from "../setup/db-errors.ts";
import { Rollback, rolledBack } from "../setup/rollback.ts";
import { createTenant, createUser, unique, type TestTenant, type TestUser } from "../setup/fixtures.ts";
import { closePools, createPools } from "../../src/db/client.ts";
import type { ScopedDb } from "../../src/tenancy/transaction.ts";

const owner = connectOwner(ownerUrl);
const TABLES = await tenantTables(owner);
const [{ ownerRole }] = (await owner`select current_user as "ownerRole"`) as unknown as [{ ownerRole: string }];

let ownerA: TestUser, ownerB: TestUser, A: TestTenant, B: TestTenant;
beforeAll(async () => {
  [ownerA, ownerB] = await Promise.all([createUser(), createUser()]);
  [A, B] = await Promise.all([createTenant(ownerA), createTenant(ownerB)]);
});
afterAll(() => owner.end({ timeout: 5 }));

const asTenant = (id: number) => (fn: (db: ScopedDb) => Promise<never>) => scopes.asTenant(id, (s) => fn(s.db));
const asCustomer = (id: number) => (fn: (db: ScopedDb) => Promise<never>) => scopes.asCustomer(id, (s) => fn(s.db));
const asPlatform = (fn: (db: ScopedDb) => Promise<never>) => scopes.asPlatform((s) => fn(s.db));
const asAdmin = (fn: (db: ScopedDb) => Promise<never>) => scopes.asSuperAdmin((s) => fn(s.db));

/** One statement in a savepoint: rows, or the SQLSTATE it failed with. */
const attempt = (db: ScopedDb, query: SQL) => outcome(db.transaction(() => db.execute(query)));

/** business_id of every row visible in every tenant table, per table. */
async function visibleTenants(db: ScopedDb): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const t of TABLES) {
    const rows = await db.execute(sql`select distinct business_id from ${sql.identifier(t)}`);
    out[t] = rows.map((r) => Number(r.business_id)).sort();
  }
  return out;
}
/** What visibleTenants returns when exactly `ids` are visible: per table, those of `ids` with rows there (read by the owner). */
const expectedVisible = (ids: number[]) => businessIdsByTable(owner, TABLES, ids);

describe("the tenant role cannot widen its view with settings", () => {
  const forgeries: [string, string][] = [
    ["app.is_super_admin", "true"],
    ["app.super_admin", "on"],
    ["app.role", ROLE.admin],
    ["app.bypass_rls", "true"],
  ];
  for (const [name, value] of forgeries) {
    test(`${name} = ${value} (local and session) still shows only its own tenant`, async () => {
      const seen = await rolledBack(asTenant(A.businessId), async (db) => {
        await db.execute(sql`select set_config(${name}, ${value}, true)`);
        const local = await visibleTenants(db);
        await db.execute(sql`select set_config(${name}, ${value}, false)`);
        return { local, session: await visibleTenants(db) };
      });
      const onlyA = await expectedVisible([A.businessId]);
      expect(seen).toEqual({ local: onlyA, session: onlyA });
    });
  }

  test("clearing the signed context shows nothing at all, not everything", async () => {
    const seen = await rolledBack(asTenant(A.businessId), async (db) => {
      await db.execute(sql`select set_config('app.context', '', true)`);
      return visibleTenants(db);
    });
    expect(seen).toEqual(await expectedVisible([]));
  });

  test("row_security = off makes queries fail instead of bypassing RLS", async () => {
    const outcome = await rolledBack(asTenant(A.businessId), async (db) => {
      await db.execute(sql`set local row_security = off`);
      return attempt(db, sql`select business_id from audit_log`);
    });
    expect(outcome.code).toBe("42501");
    expect(outcome.message).toContain("row-level security");
  });

  test("writing another business's id into the unsigned settings moves nowhere: the signed context still rules", async () => {
    const seen = await rolledBack(asTenant(A.businessId), async (db) => {
      await db.execute(sql`select set_config('app.current_tenant_id', ${String(B.businessId)}, true)`);
      await db.execute(sql`select set_config('app.tenant_id', ${String(B.businessId)}, false)`);
      return visibleTenants(db);
    });
    expect(seen).toEqual(await expectedVisible([A.businessId]));
  });
});

describe("no login role can become the admin role or the owner", () => {
  const openers = () =>
    [
      [ROLE.app, asTenant(A.businessId)],
      [ROLE.customer, asCustomer(ownerA.userId)],
      [ROLE.platform, asPlatform],
      [ROLE.admin, asAdmin],
    ] as const;

  test("SET ROLE and SET SESSION AUTHORIZATION are refused", async () => {
    for (const [role, open] of openers()) {
      const targets = [ownerRole, ...(role === ROLE.admin ? [] : [ROLE.admin])];
      const outcomes = await rolledBack(open, async (db) => {
        const out: Record<string, string | undefined> = { whoami: String((await db.execute(sql`select current_user as u`))[0]!.u) };
        for (const target of targets) {
          // LOCAL, so that if this ever succeeded the pooled connection would not stay elevated.
          out[`role ${target}`] = (await attempt(db, sql.raw(`set local role "${target}"`))).code;
          out[`auth ${target}`] = (await attempt(db, sql.raw(`set local session authorization "${target}"`))).code;
        }
        return out;
      });
      const expected: Record<string, string> = { whoami: role };
      for (const target of targets) Object.assign(expected, { [`role ${target}`]: "42501", [`auth ${target}`]: "42501" });
      expect(outcomes).toEqual(expected);
    }
  });
});

describe("the customer role", () => {
  test("sees only its own users row, and none without a user context", async () => {
    const ids = await rolledBack(asCustomer(ownerA.userId), async (db) => (await db.execute(sql`select id from users`)).map((r) => Number(r.id)));
    expect(ids).toEqual([ownerA.userId]);
    const [other] = await owner`select id from users where id = ${ownerB.userId}`;
    expect(Number(other!.id)).toBe(ownerB.userId);
    const none = await rolledBack(asCustomer(ownerA.userId), async (db) => {
      await db.execute(sql`select set_config('app.context', '', true)`);
      return [...(await db.execute(sql`select id from users`))];
    });
    expect(none).toEqual([]);
  });
});

describe("tenant tables without a policy for a role are closed to it", () => {
  for (const role of [ROLE.customer, ROLE.platform] as const) {
    test(`${role}: refused or empty on every tenant table it has no policy on`, async () => {
      const covered = new Set(policiesFor(await tenantPolicies(owner), role).map((p) => p.table));
      const closed = TABLES.filter((t) => !covered.has(t));
      expect(closed).toContain("business_access");
      const open = role === ROLE.customer ? asCustomer(ownerA.userId) : asPlatform;
      const leaks = await rolledBack(open, async (db) => {
        const out: string[] = [];
        for (const t of closed) {
          const o = await attempt(db, sql`select business_id from ${sql.identifier(t)}`);
          if (o.code !== "42501" && o.rows?.length !== 0) out.push(`${t}: ${o.code ?? `${o.rows?.length} rows`}`);
        }
        return out;
      });
      expect(leaks).toEqual([]);
    });
  }
});

describe("the platform role", () => {
  const newUser = (superAdmin: boolean) =>
    sql`insert into users (email, name, password_hash, is_super_admin)
        values (${`${unique("p")}@example.test`}, 'x', 'not-a-hash', ${superAdmin})`;

  test("can register an ordinary user but never a super admin", async () => {
    const [plain, admin] = await rolledBack(asPlatform, async (db) => [await attempt(db, newUser(false)), await attempt(db, newUser(true))]);
    expect(plain!.code).toBeUndefined();
    expect(admin!.code).toBe("42501");
    expect(admin!.message).toContain("row-level security");
  });

  test("cannot promote a user to super admin", async () => {
    const outcome = await rolledBack(asPlatform, async (db) =>
      attempt(db, sql`update users set is_super_admin = true where id = ${ownerA.userId}`),
    );
    expect(outcome.code).toBe("42501");
    const [row] = await owner`select is_super_admin from users where id = ${ownerA.userId}`;
    expect(row!.is_super_admin).toBe(false);
  });

  test("cannot read business_access, even with a forged tenant setting", async () => {
    const outcome = await rolledBack(asPlatform, async (db) => {
      await db.execute(sql`select set_config('app.current_tenant_id', ${String(A.businessId)}, true)`);
      return attempt(db, sql`select user_id from business_access`);
    });
    expect(outcome.code).toBe("42501");
  });
});

describe("users through the tenant role", () => {
  test("a business sees its own members and not the other business's", async () => {
    const seen = async (t: TestTenant) =>
      rolledBack(asTenant(t.businessId), async (db) => (await db.execute(sql`select id from users`)).map((r) => Number(r.id)));
    expect(await seen(A)).toEqual([ownerA.userId]);
    expect(await seen(B)).toEqual([ownerB.userId]);
  });
});

describe("audit_log is append-only", () => {
  for (const [label, open] of [
    [ROLE.app, () => asTenant(A.businessId)],
    [ROLE.admin, () => asAdmin],
  ] as const) {
    test(`${label}: UPDATE, DELETE and TRUNCATE are refused; reading works`, async () => {
      const before = await owner`select count(*)::int as n from audit_log where business_id in ${owner([A.businessId, B.businessId])}`;
      const outcome = await rolledBack(open(), async (db) => ({
        read: (await db.execute(sql`select distinct business_id from audit_log where business_id in (${A.businessId}, ${B.businessId})`))
          .map((r) => Number(r.business_id))
          .sort(),
        update: (await attempt(db, sql`update audit_log set action = 'forged' where business_id = ${A.businessId}`)).code,
        delete: (await attempt(db, sql`delete from audit_log where business_id = ${A.businessId}`)).code,
        truncate: (await attempt(db, sql`truncate audit_log`)).code,
      }));
      const read = label === ROLE.admin ? [A.businessId, B.businessId].sort() : [A.businessId];
      expect(outcome).toEqual({ read, update: "42501", delete: "42501", truncate: "42501" });
      const after = await owner`select count(*)::int as n from audit_log where business_id in ${owner([A.businessId, B.businessId])}`;
      expect(after[0]!.n).toBe(before[0]!.n);
    });
  }
});

describe("tenant context is transaction-local on a pooled connection", () => {
  // One connection per role: every transaction below reuses the same backend.
  const pools = createPools(urls, { max: 1 });
  const single = scopesFor(pools);
  afterAll(() => closePools(pools));

  /** What a query outside any scope sees on the pool's one connection. */
  const contextless = async () => {
    const [row] = await pools.app`select current_setting('app.context', true) as raw,
                                         app.current_tenant_id()::text as tenant, app.current_user_id()::text as "user",
                                         (select count(*)::int from audit_log) as rows`;
    return row!;
  };
  const genuine = (tenantId: number) => contextSigner(contextKey)({ role: ROLE.app, tenantId, expiresAt: Math.floor(Date.now() / 1000) + 30 });

  test("after many asTenant transactions (committed, rolled back, read-only) no context is left behind", async () => {
    for (let i = 0; i < 300; i++) {
      const t = i % 2 ? A : B;
      const run = single.asTenant(t.businessId, async (s) => {
        await s.db.execute(sql`select count(*) from audit_log`);
        if (i % 3 === 0) throw new Rollback(null);
      }, { userId: ownerA.userId, readOnly: i % 5 === 0 });
      await run.catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
    }
    const row = await contextless();
    expect(["", null]).toContain(row.raw);
    expect(row.tenant).toBeNull();
    expect(row.user).toBeNull();
    expect(row.rows).toBe(0);
  });

  test("why it must be: a session-level setting outlives its transaction (asTenant still overrides it)", async () => {
    const conn = await pools.app.reserve();
    await conn`select set_config('app.context', ${genuine(A.businessId)}, false)`;
    conn.release();
    try {
      const inB = await single.asTenant(B.businessId, async (s) => visibleTenants(s.db));
      expect(inB).toEqual(await expectedVisible([B.businessId]));
      const leaked = await contextless();
      expect(leaked.tenant).toBe(String(A.businessId));
      expect(leaked.rows).toBeGreaterThan(0);
    } finally {
      await pools.app`reset app.context`;
    }
    const row = await contextless();
    expect(row.tenant).toBeNull();
    expect(row.rows).toBe(0);
  });

  test("hostile SQL that leaves its own context session-wide cannot steer the next asTenant on that connection", async () => {
    try {
      await single.asTenant(A.businessId, (s) => s.db.execute(sql`select set_config('app.context', current_setting('app.context'), false)`));
      const next = await single.asTenant(B.businessId, async (s) => visibleTenants(s.db));
      expect(next).toEqual(await expectedVisible([B.businessId]));
    } finally {
      await pools.app`reset app.context`;
    }
  });
});
