/**
 * Pool bleed: thousands of interleaved transactions for 50 tenants squeezed
 * through an app pool of 2 connections, with rollbacks, failing SQL, aborted
 * savepoints and read-only commits that are not awaited. Every operation checks
 * that what it sees is its own tenant's (by business_id AND by a marker written
 * for that tenant), that the context setting is its own, and that the request
 * context (AsyncLocalStorage) is its own. Afterwards both connections, queried
 * with no context at all, must see nothing. Last, a scope's db handle kept past
 * its scope must not run inside the next tenant's transaction.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { ownerUrl, scopesFor, urls } from "../setup/harness.ts";
import { connectOwner, tenantTables } from "../setup/catalog.ts";
import { sqlState } from "../setup/db-errors.ts";
import { createTenant, createUser, unique } from "../setup/fixtures.ts";
import { closePools, createPools } from "../../src/db/client.ts";
import { currentContext } from "../../src/tenancy/request-context.ts";
import type { ScopedDb } from "../../src/tenancy/transaction.ts";

const TENANTS = 50;
const MARKERS_PER_TENANT = 3;
const WAVES = 50;
const WAVE_SIZE = 110; // 5,500 operations

const owner = connectOwner(ownerUrl);
const TABLES = await tenantTables(owner);
// The pool under test: two app connections (other roles unused, one each).
const pools = createPools(urls, { max: 1, maxByRole: { app: 2 } });
const scopes = scopesFor(pools);
afterAll(async () => {
  await closePools(pools);
  await owner.end({ timeout: 5 });
});

const tag = unique("bleed");
const tenants: number[] = [];

beforeAll(async () => {
  const user = await createUser();
  for (let i = 0; i < TENANTS; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, TENANTS - i) }, () => createTenant(user)));
    tenants.push(...batch.map((t) => t.businessId));
  }
  // Markers go in through the layer under test; the owner then confirms who owns them.
  await Promise.all(
    tenants.map((id) =>
      scopes.asTenant(id, async (s) => {
        for (let m = 0; m < MARKERS_PER_TENANT; m++) {
          await s.db.execute(sql`insert into audit_log (business_id, action, entity_type, entity_id)
                                 values (${id}, 'bleed.marker', 'bleed', ${`${tag}:${id}:m${m}`})`);
        }
      }),
    ),
  );
  const rows = await owner`select business_id, entity_id from audit_log where entity_type = 'bleed' and entity_id like ${`${tag}:%`}`;
  expect(rows.length).toBe(TENANTS * MARKERS_PER_TENANT);
  for (const r of rows) expect(markerTenant(r.entity_id)).toBe(Number(r.business_id));
}, 120_000);

/** The tenant a marker was written for: `${tag}:${businessId}:${suffix}`. */
const markerTenant = (entityId: string) => Number(entityId.split(":")[1]);

const KINDS = ["read", "readOnly", "throw", "failAfter", "failFirst", "savepoint", "write", "writeThrow", "readOnlyWrite"] as const;
type Kind = (typeof KINDS)[number];
/** Kinds that must end in an error, and the SQLSTATE (or sentinel) they must end with. */
const EXPECTED_ERROR: Partial<Record<Kind, string>> = {
  throw: "rollback",
  failAfter: "22012",
  failFirst: "42P01",
  writeThrow: "rollback",
  readOnlyWrite: "25006",
};

const stats = { ops: 0, foreignRows: 0, ownMissing: 0, contextMismatch: 0, alsMismatch: 0, unexpected: [] as string[], pids: new Set<number>() };
const writes: string[] = [];
const rolledBackWrites: string[] = [];
class Rollback extends Error {}

/** Reads markers and another tenant table, checking every row and the context. */
async function check(db: ScopedDb, tenant: number, i: number): Promise<void> {
  const markers = await db.execute(sql`
    select business_id, entity_id, app.current_tenant_id()::text as ctx, pg_backend_pid() as pid
      from audit_log where entity_type = 'bleed'`);
  const table = TABLES[i % TABLES.length]!;
  const other = await db.execute(sql`select business_id from ${sql.identifier(table)}`);
  const [ctx] = await db.execute(sql`select app.current_tenant_id()::text as ctx, pg_backend_pid() as pid`);
  stats.pids.add(Number(ctx!.pid));
  if (ctx!.ctx !== String(tenant)) stats.contextMismatch++;
  if (currentContext()?.tenantId !== tenant) stats.alsMismatch++;
  let own = 0;
  for (const r of markers) {
    if (Number(r.business_id) !== tenant || r.ctx !== String(tenant)) stats.foreignRows++;
    else if (String(r.entity_id).startsWith(`${tag}:`)) {
      if (markerTenant(String(r.entity_id)) !== tenant) stats.foreignRows++;
      else if (String(r.entity_id).includes(":m")) own++;
    }
  }
  for (const r of other) if (Number(r.business_id) !== tenant) stats.foreignRows++;
  if (own !== MARKERS_PER_TENANT) stats.ownMissing++;
}

async function operation(i: number, tenant: number, kind: Kind): Promise<void> {
  const run = (fn: (db: ScopedDb) => Promise<void>, readOnly = false) => scopes.asTenant(tenant, (s) => fn(s.db), { readOnly });
  const marker = `${tag}:${tenant}:op${i}`;
  switch (kind) {
    case "read":
      return run((db) => check(db, tenant, i));
    case "readOnly":
      return run((db) => check(db, tenant, i), true);
    case "throw":
      return run(async (db) => {
        await check(db, tenant, i);
        throw new Rollback();
      });
    case "failAfter":
      return run(async (db) => {
        await check(db, tenant, i);
        await db.execute(sql`select 1 / 0`);
      });
    case "failFirst":
      return run(async (db) => {
        await db.execute(sql`select * from no_such_table_for_bleed`);
      });
    case "savepoint":
      return run(async (db) => {
        await db.transaction(() => db.execute(sql`select 1 / 0`)).catch(() => {});
        await check(db, tenant, i);
      });
    case "write":
      writes.push(marker);
      return run(async (db) => {
        await db.execute(sql`insert into audit_log (business_id, action, entity_type, entity_id) values (${tenant}, 'bleed.write', 'bleed-write', ${marker})`);
        await check(db, tenant, i);
      });
    case "writeThrow":
      rolledBackWrites.push(marker);
      return run(async (db) => {
        await db.execute(sql`insert into audit_log (business_id, action, entity_type, entity_id) values (${tenant}, 'bleed.write', 'bleed-write', ${marker})`);
        await check(db, tenant, i);
        throw new Rollback();
      });
    case "readOnlyWrite":
      return run(async (db) => {
        await check(db, tenant, i);
        await db.execute(sql`insert into audit_log (business_id, action, entity_type) values (${tenant}, 'x', 'x')`);
      }, true);
  }
}

describe("pool bleed: 2 app connections, 50 tenants", () => {
  test(`${WAVES * WAVE_SIZE} interleaved operations never see a foreign row or context`, async () => {
    const outcomes: Record<string, number> = {};
    for (let w = 0; w < WAVES; w++) {
      await Promise.all(
        Array.from({ length: WAVE_SIZE }, async (_, j) => {
          const i = w * WAVE_SIZE + j;
          const kind = KINDS[i % KINDS.length]!;
          const tenant = tenants[(i * 31 + w * 17) % TENANTS]!;
          let result = "ok";
          try {
            await operation(i, tenant, kind);
          } catch (error) {
            result = error instanceof Rollback ? "rollback" : (sqlState(error) ?? String(error));
          }
          stats.ops++;
          outcomes[kind] = (outcomes[kind] ?? 0) + 1;
          if (result !== (EXPECTED_ERROR[kind] ?? "ok")) stats.unexpected.push(`${kind} #${i}: ${result}`);
        }),
      );
    }
    expect({ unexpected: stats.unexpected.length, first: stats.unexpected.slice(0, 10) }).toEqual({ unexpected: 0, first: [] });
    expect({ ...stats, unexpected: undefined, pids: stats.pids.size <= 2 }).toEqual({
      ops: WAVES * WAVE_SIZE,
      foreignRows: 0,
      ownMissing: 0,
      contextMismatch: 0,
      alsMismatch: 0,
      unexpected: undefined,
      pids: true, // the pool really was this small
    });
    for (const kind of KINDS) expect(outcomes[kind]).toBeGreaterThanOrEqual(Math.floor((WAVES * WAVE_SIZE) / KINDS.length));
  }, 180_000);

  test("committed writes landed under their own tenant; rolled-back writes left nothing", async () => {
    const rows = await owner`select business_id, entity_id from audit_log where entity_type = 'bleed-write' and entity_id like ${`${tag}:%`}`;
    expect(rows.map((r) => r.entity_id).sort()).toEqual([...writes].sort());
    for (const r of rows) expect(markerTenant(r.entity_id)).toBe(Number(r.business_id));
    expect(rolledBackWrites.length).toBeGreaterThan(0);
  });

  test("afterwards, context-less queries on both raw connections see no tenant and no rows", async () => {
    const conns = await Promise.all([pools.app.reserve(), pools.app.reserve()]);
    try {
      const seen = [];
      for (const conn of conns) {
        const [s] = await conn`select pg_backend_pid() as pid, app.current_tenant_id()::text as tenant,
                                      app.current_user_id()::text as "user"`;
        const counts: Record<string, number> = {};
        for (const t of TABLES) counts[t] = (await conn.unsafe(`select count(*)::int as n from public."${t}"`))[0]!.n;
        seen.push({ pid: Number(s!.pid), tenant: s!.tenant || "", user: s!.user || "", counts });
      }
      expect(seen[0]!.pid).not.toBe(seen[1]!.pid);
      const empty = Object.fromEntries(TABLES.map((t) => [t, 0]));
      for (const s of seen) expect({ tenant: s.tenant, user: s.user, counts: s.counts }).toEqual({ tenant: "", user: "", counts: empty });
    } finally {
      for (const conn of conns) conn.release();
    }
    // The owner does see those tenants' rows: the zeros above are RLS, not an empty database.
    const [n] = await owner`select count(*)::int as n from audit_log where business_id in ${owner(tenants)}`;
    expect(n!.n).toBeGreaterThan(TENANTS * MARKERS_PER_TENANT);
  });
});

/**
 * A scope's db is bound to one reserved connection. If code keeps it past the end
 * of its scope (a fire-and-forget query, a closure, a lazy loader), the next query
 * must be refused: otherwise it runs on a connection that may by then carry
 * another tenant's transaction and context.
 */
describe("a scope handle used after its transaction ended", () => {
  const single = createPools(urls, { max: 1 });
  const singleScopes = scopesFor(single);
  afterAll(() => closePools(single));

  test("is refused, and never runs inside the next tenant's transaction", async () => {
    const [a, b] = [tenants[0]!, tenants[1]!];
    let stale: ScopedDb | undefined;
    await singleScopes.asTenant(a, async (s) => {
      stale = s.db;
      await s.db.execute(sql`select 1`);
    });
    // The only connection now carries B's transaction while A's old handle is used.
    const outcome = await singleScopes.asTenant(b, async (s) => {
      await s.db.execute(sql`select 1`);
      const late = Promise.resolve().then(() => stale!.execute(sql`select business_id, app.current_tenant_id()::text as ctx from audit_log`));
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("timed out"), 2_000));
      const ran = (rows: Record<string, unknown>[]) => ({
        ranAs: `tenant ${a}'s handle saw ${rows.length} rows of tenants ${[...new Set(rows.map((r) => r.business_id))]} under context ${rows[0]?.ctx}`,
      });
      return Promise.race([late.then(ran, (error: unknown) => ({ refused: String(error) })), timeout.then((t) => ({ refused: t }))]);
    });
    expect(outcome).not.toHaveProperty("ranAs");
    expect(outcome).toHaveProperty("refused");
  });
});

