/**
 * The context is unforgeable by SQL on a login role's own connection: whatever
 * a statement sets, PostgreSQL shows a tenant's (or a customer's) rows only for
 * a context signed with the key it holds, for that role, and not yet expired.
 * Each case runs raw SQL on a connection of the role, as injected SQL would, and
 * each has its control: the genuine context shows the owner's rows.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { dropDatabaseAndRoles, runMigrations } from "../../src/db/migrate.ts";
import { ROLE_KINDS, roleOf, type DbRoleKind } from "../../src/db/roles.ts";
import { contextSigner, type ContextClaims } from "../../src/lib/context-signature.ts";
import { businessIdsByTable, connectOwner, tenantTables } from "../setup/catalog.ts";
import { sqlState } from "../setup/db-errors.ts";
import { createTenant, createUser, makeOrder, makeProduct, type TestTenant, type TestUser, unique } from "../setup/fixtures.ts";
import { contextKey, ownerUrl, pools, urls } from "../setup/harness.ts";

const owner = connectOwner(ownerUrl);
const TABLES = await tenantTables(owner);
const sign = contextSigner(contextKey);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const claims = (kind: DbRoleKind, c: Partial<ContextClaims>): ContextClaims => ({ role: roleOf(urls[kind]), expiresAt: nowSeconds() + 30, ...c });

let ownerA: TestUser, ownerB: TestUser, A: TestTenant, B: TestTenant;
beforeAll(async () => {
  [ownerA, ownerB] = await Promise.all([createUser(), createUser()]);
  [A, B] = await Promise.all([createTenant(ownerA), createTenant(ownerB)]);
  // B's customer (ownerB shops at A) so the customer side has rows to protect.
  const product = await makeProduct(ownerA, A, { stock: 5 });
  await makeOrder(ownerB, A, [{ productId: product.id, quantity: 1 }]);
});
afterAll(() => owner.end({ timeout: 5 }));

/** On one raw connection of `kind`, in a transaction rolled back afterwards: run `setup`, then count what each tenant table shows. */
async function seenWith(kind: DbRoleKind, setup: (conn: postgres.ReservedSql) => Promise<unknown>): Promise<Record<string, number[]>> {
  const conn = await pools[kind].reserve();
  try {
    await conn`begin`;
    await setup(conn);
    return await businessIdsByTable(conn, TABLES);
  } finally {
    await conn`rollback`.catch(() => {});
    conn.release();
  }
}

/** What `seenWith` returns when exactly `ids` are visible (read by the owner). */
const visibleOnly = (ids: number[]) => businessIdsByTable(owner, TABLES, ids);

const setContext = (value: string, local = true) => (conn: postgres.ReservedSql) => conn`select set_config('app.context', ${value}, ${local})`;

describe("the tenant role (desibazaar_app) sees a business only through a genuine signed context", () => {
  test("control: A's genuine context shows A's rows and no other business's", async () => {
    expect(await seenWith("app", setContext(sign(claims("app", { tenantId: A.businessId }))))).toEqual(await visibleOnly([A.businessId]));
  });

  test("the old unsigned settings, set locally or for the session, show nothing", async () => {
    const forged = async (conn: postgres.ReservedSql) => {
      await conn`select set_config('app.current_tenant_id', ${String(B.businessId)}, false)`;
      await conn`select set_config('app.current_user_id', ${String(ownerB.userId)}, true)`;
    };
    expect(await seenWith("app", forged)).toEqual(await visibleOnly([]));
  });

  const forgeries: [string, () => string][] = [
    ["A's signature with B's id pasted in", () => sign(claims("app", { tenantId: A.businessId })).replace(`.${A.businessId}.`, `.${B.businessId}.`)],
    ["B's context signed with another key", () => contextSigner(`${crypto.randomUUID()}-another-key`)(claims("app", { tenantId: B.businessId }))],
    ["B's context signed for the customer role", () => sign(claims("customer", { tenantId: B.businessId }))],
    ["B's context that expired a second ago (a replay)", () => sign(claims("app", { tenantId: B.businessId, expiresAt: nowSeconds() - 1 }))],
    ["B's context with its expiry pushed out after signing", () => sign(claims("app", { tenantId: B.businessId })).replace(/\.(\d+)\.([0-9a-f]+)$/, (_, exp, mac) => `.${Number(exp) + 3600}.${mac}`)],
    ["a context listing two businesses", () => sign(claims("app", { tenantId: A.businessId })).replace(`.${A.businessId}.`, `.${A.businessId},${B.businessId}.`)],
    ["A's genuine context with another character in place of the dot before its signature", () => sign(claims("app", { tenantId: A.businessId })).replace(/\.([0-9a-f]{64})$/, "x$1")],
    ["A's genuine context with a field appended after its signature", () => `${sign(claims("app", { tenantId: A.businessId }))}.${B.businessId}`],
    ["A's genuine context with its signature in capitals", () => sign(claims("app", { tenantId: A.businessId })).replace(/[0-9a-f]{64}$/, (mac) => mac.toUpperCase())],
    ["garbage", () => `v1.${"9".repeat(500)}`],
    ["an empty context", () => ""],
  ];
  for (const [name, forge] of forgeries) {
    test(`${name}: shows nothing, set locally or for the session`, async () => {
      expect(await seenWith("app", setContext(forge()))).toEqual(await visibleOnly([]));
      expect(await seenWith("app", setContext(forge(), false))).toEqual(await visibleOnly([]));
    });
  }

  test("a context captured inside A's transaction and replayed after it expired shows nothing", async () => {
    // Signed 61 s ago, as a captured context would be a minute later.
    const captured = contextSigner(contextKey)(claims("app", { tenantId: A.businessId, expiresAt: nowSeconds() - 1 }));
    expect(await seenWith("app", setContext(captured))).toEqual(await visibleOnly([]));
  });

  test("writes under a forged context are refused by the policy's WITH CHECK", async () => {
    const conn = await pools.app.reserve();
    try {
      await conn`begin`;
      await setContext(sign(claims("app", { tenantId: A.businessId })).replace(`.${A.businessId}.`, `.${B.businessId}.`))(conn);
      const error = await conn`insert into public.categories (business_id, name) values (${B.businessId}, ${unique("forged")})`.catch((e) => e);
      expect(sqlState(error)).toBe("42501");
    } finally {
      await conn`rollback`.catch(() => {});
      conn.release();
    }
  });
});

describe("the customer role sees only the signed customer's own rows", () => {
  const ownOrders = async (setup: (conn: postgres.ReservedSql) => Promise<unknown>) => {
    const conn = await pools.customer.reserve();
    try {
      await conn`begin`;
      await setup(conn);
      return (await conn`select customer_user_id from public.orders`).map((r) => Number(r.customer_user_id));
    } finally {
      await conn`rollback`.catch(() => {});
      conn.release();
    }
  };

  test("control: the genuine context of B's owner (who ordered from A) shows that order", async () => {
    expect(await ownOrders(setContext(sign(claims("customer", { userId: ownerB.userId }))))).toEqual([ownerB.userId]);
  });

  test("the old unsigned user setting, a pasted user id and an expired context show no order", async () => {
    expect(await ownOrders((c) => c`select set_config('app.current_user_id', ${String(ownerB.userId)}, false)`)).toEqual([]);
    const pasted = sign(claims("customer", { userId: ownerA.userId })).replace(`..${ownerA.userId}.`, `..${ownerB.userId}.`);
    expect(await ownOrders(setContext(pasted))).toEqual([]);
    expect(await ownOrders(setContext(sign(claims("customer", { userId: ownerB.userId, expiresAt: nowSeconds() - 1 }))))).toEqual([]);
  });
});

describe("no login role can create temporary objects", () => {
  for (const kind of ROLE_KINDS) {
    test(`${kind}: a temp table shadowing business_access is refused`, async () => {
      const error = await pools[kind]`create temp table business_access (business_id bigint, user_id bigint, role text)`.catch((e) => e);
      expect(sqlState(error)).toBe("42501");
    });
  }
});

describe("login roles belong to one database", () => {
  const otherDb = `desibazaar_other_${unique()}`;
  const inOther = (url: string) => Object.assign(new URL(url), { pathname: `/${otherDb}` }).toString();
  let other: Awaited<ReturnType<typeof runMigrations>>;
  beforeAll(async () => {
    other = await runMigrations({ ownerUrl: inOther(ownerUrl) });
  }, 60_000);
  afterAll(() => dropDatabaseAndRoles(ownerUrl, otherDb));

  test("another database on the same server has its own role names and its own generated passwords", () => {
    for (const kind of ROLE_KINDS) {
      expect(roleOf(other.roleUrls[kind])).not.toBe(roleOf(urls[kind]));
      expect(new URL(other.roleUrls[kind]).password).not.toBe(new URL(urls[kind]).password);
      expect(new URL(other.roleUrls[kind]).password.length).toBeGreaterThanOrEqual(32);
    }
    expect(other.contextKey).not.toBe(contextKey);
  });

  const connectFails = async (url: string) => {
    const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      return await sql`select 1`.then(() => "connected", (e) => sqlState(e) ?? String(e));
    } finally {
      await sql.end({ timeout: 1 });
    }
  };

  test("this database's roles cannot connect to the other database, nor the other's to this one", async () => {
    for (const kind of ROLE_KINDS) {
      expect(await connectFails(inOther(urls[kind]))).toBe("42501");
      const otherRoleHere = Object.assign(new URL(other.roleUrls[kind]), { pathname: new URL(urls[kind]).pathname }).toString();
      expect(await connectFails(otherRoleHere)).toBe("42501");
      // Control: each connects to its own database.
      expect(await connectFails(other.roleUrls[kind])).toBe("connected");
    }
  });
});
