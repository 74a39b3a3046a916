/**
 * The isolation matrix, generated from the catalog: for EVERY table with a
 * business_id (today's and any added later), tenant A working through asTenant
 * cannot read, update, delete or insert tenant B's rows, while it can do all of
 * that to its own. B's rows are counted on the superuser owner connection,
 * outside the isolation layer, before and after each attempt.
 *
 * Rows: provisioning writes most tables; any table still empty for a tenant gets
 * a generated row (test/setup/catalog.ts sampleRow). A table the generator
 * cannot fill fails its tests; it is never skipped.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql, type SQL } from "drizzle-orm";
import { ownerUrl, scopes } from "../setup/harness.ts";
import { connectOwner, tenantTables } from "../setup/catalog.ts";
import { outcome } from "../setup/db-errors.ts";
import { rolledBack } from "../setup/rollback.ts";
import { insertSampleRow, insertSql, sampleRow, validSampleRow } from "../setup/sample-rows.ts";
import { createTenant, createUser, unique, type TestTenant } from "../setup/fixtures.ts";
import type { ScopedDb } from "../../src/tenancy/transaction.ts";

const owner = connectOwner(ownerUrl);
afterAll(() => owner.end({ timeout: 5 }));

/** Read from the catalog at load time, so each table gets its own named tests. */
const TABLES = await tenantTables(owner);
/** The app role may insert and read these, never change them. */
const APPEND_ONLY = new Set(["audit_log"]);

let A: TestTenant;
let B: TestTenant;

beforeAll(async () => {
  const [me] = await owner<{ sees_all: boolean }[]>`select rolsuper or rolbypassrls as sees_all from pg_roles where rolname = current_user`;
  // The owner must see through RLS to count B's rows independently of the layer under test.
  if (!me?.sees_all) throw new Error("the matrix needs DATABASE_URL to be a superuser or BYPASSRLS (it reads every tenant's rows)");
  const [ownerA, ownerB] = await Promise.all([createUser(), createUser()]);
  [A, B] = await Promise.all([createTenant(ownerA), createTenant(ownerB)]);
});

const ident = (table: string) => sql`${sql.identifier("public")}.${sql.identifier(table)}`;

async function ownerCount(table: string, businessId: number): Promise<number> {
  const [row] = await owner.unsafe(`select count(*)::int as n from public."${table}" where business_id = $1`, [businessId]);
  return row!.n as number;
}

/** Runs fn as tenant `businessId` and rolls everything back: the matrix never changes data. */
const asTenantRolledBack = <T>(businessId: number, fn: (db: ScopedDb) => Promise<T>): Promise<T> =>
  rolledBack((run: (db: ScopedDb) => Promise<never>) => scopes.asTenant(businessId, (s) => run(s.db)), fn);

/** One statement in a savepoint, so an expected error does not abort the surrounding transaction. */
const attempt = (db: ScopedDb, query: SQL) => outcome(db.transaction(() => db.execute(query)));

const businessIds = (rows: Record<string, unknown>[] | undefined) => (rows ?? []).map((r) => Number(r.business_id));

test("the matrix covers the tenant tables the catalog lists", () => {
  for (const core of ["audit_log", "business_access", "business_directory", "business_settings", "business_subscriptions", "roles"]) {
    expect(TABLES).toContain(core);
  }
});

for (const table of TABLES) {
  describe(`tenant table ${table}`, () => {
    beforeAll(async () => {
      // Provisioning fills most tables; give each tenant a row where it did not.
      for (const t of [A, B]) if ((await ownerCount(table, t.businessId)) === 0) await insertSampleRow(owner, table, t.businessId);
    });

    test("each tenant reads its own rows and none of the other's", async () => {
      for (const [me, other] of [[A, B], [B, A]] as const) {
        const expected = await ownerCount(table, me.businessId);
        expect(expected).toBeGreaterThan(0);
        expect(await ownerCount(table, other.businessId)).toBeGreaterThan(0);
        const { all, asked } = await asTenantRolledBack(me.businessId, async (db) => ({
          all: businessIds(await db.execute(sql`select business_id from ${ident(table)}`)),
          asked: businessIds(await db.execute(sql`select business_id from ${ident(table)} where business_id = ${other.businessId}`)),
        }));
        expect(all.length).toBe(expected);
        expect(all.filter((id) => id !== me.businessId)).toEqual([]);
        expect(asked).toEqual([]);
      }
    });

    if (APPEND_ONLY.has(table)) {
      test("UPDATE and DELETE are refused with a permission error, even on the tenant's own rows", async () => {
        const before = await ownerCount(table, B.businessId);
        const outcomes = await asTenantRolledBack(A.businessId, async (db) => [
          await attempt(db, sql`update ${ident(table)} set business_id = business_id where business_id = ${B.businessId}`),
          await attempt(db, sql`update ${ident(table)} set business_id = business_id where business_id = ${A.businessId}`),
          await attempt(db, sql`delete from ${ident(table)} where business_id = ${B.businessId}`),
          await attempt(db, sql`delete from ${ident(table)} where business_id = ${A.businessId}`),
        ]);
        for (const o of outcomes) expect({ code: o.code, message: o.message }).toEqual({ code: "42501", message: `permission denied for table ${table}` });
        expect(await ownerCount(table, B.businessId)).toBe(before);
      });
    } else {
      // Statements without WHERE or RETURNING are checked against the UPDATE/DELETE policies alone
      // (PostgreSQL adds the SELECT policy only when a statement reads columns): the strictest probe.
      test("UPDATE reaches only the tenant's own rows and cannot move a row to the other tenant", async () => {
        const [before, own] = [await ownerCount(table, B.businessId), await ownerCount(table, A.businessId)];
        const [foreign, all, moved] = await asTenantRolledBack(A.businessId, async (db) => [
          await attempt(db, sql`update ${ident(table)} set business_id = business_id where business_id = ${B.businessId}`),
          await attempt(db, sql`update ${ident(table)} set business_id = business_id`),
          await attempt(db, sql`update ${ident(table)} set business_id = ${B.businessId}`),
        ]);
        expect(foreign).toEqual({ rows: [], count: 0 });
        expect(all).toEqual({ rows: [], count: own });
        expect(moved!.code).toBe("42501");
        expect(moved!.message).toContain("row-level security");
        expect(await ownerCount(table, B.businessId)).toBe(before);
      });

      test("DELETE reaches only the tenant's own rows", async () => {
        const [before, own] = [await ownerCount(table, B.businessId), await ownerCount(table, A.businessId)];
        const [foreign, all] = await asTenantRolledBack(A.businessId, async (db) => [
          await attempt(db, sql`delete from ${ident(table)} where business_id = ${B.businessId}`),
          await attempt(db, sql`delete from ${ident(table)}`),
        ]);
        expect(foreign).toEqual({ rows: [], count: 0 });
        // A RESTRICT foreign key may refuse the unqualified DELETE (23503): the rows were still A's to try.
        if (all!.code !== "23503") expect(all).toEqual({ rows: [], count: own });
        expect(await ownerCount(table, B.businessId)).toBe(before);
        expect(await ownerCount(table, A.businessId)).toBe(own); // rolled back
      });
    }

    test("INSERT of a row carrying the other tenant's business_id is refused by RLS (42501)", async () => {
      const before = await ownerCount(table, B.businessId);
      const forB = await validSampleRow(owner, table, B.businessId);
      const forA = await validSampleRow(owner, table, A.businessId);
      const [foreign, own] = await asTenantRolledBack(A.businessId, async (db) => [
        await attempt(db, insertSql(forB)),
        await attempt(db, insertSql(forA, { returning: true })),
      ]);
      expect(foreign!.code).toBe("42501");
      expect(foreign!.message).toContain("row-level security");
      // Control: the same generated row for A gets past RLS. A one-row-per-business table
      // answers 23505, raised by the unique index only after the RLS check passed.
      if (own!.code !== "23505") expect(own!.rows).toEqual([expect.objectContaining({ business_id: String(A.businessId) })]);
      expect(await ownerCount(table, B.businessId)).toBe(before);
    });
  });
}

/** business_tenants carries the tenant in `id`, not business_id: same guarantees, by hand. */
describe("business_tenants (the tenant registry)", () => {
  test("a tenant sees its own registry row only, and cannot rename or claim another's", async () => {
    const [result] = await asTenantRolledBack(A.businessId, async (db) => [
      {
        all: (await db.execute(sql`select id from business_tenants`)).map((r) => Number(r.id)),
        rename: await attempt(db, sql`update business_tenants set name = 'taken' where id = ${B.businessId} returning id`),
        renameOwn: await attempt(db, sql`update business_tenants set name = name where id = ${A.businessId} returning id`),
        claim: await attempt(
          db,
          sql`insert into business_tenants (id, slug, name, industry_type) values (${B.businessId}, ${unique("s")}, 'x', 'retail')`,
        ),
      },
    ]);
    expect(result!.all).toEqual([A.businessId]);
    expect(result!.rename).toEqual({ rows: [], count: 0 });
    expect(result!.renameOwn.rows?.map((r) => Number(r.id))).toEqual([A.businessId]);
    expect(result!.claim.code).toBe("42501");
    const [b] = await owner`select name from business_tenants where id = ${B.businessId}`;
    expect(b!.name).not.toBe("taken");
  });
});

/** The generator must fail loudly, never let a table drop out of the matrix. */
describe("the sample-row generator", () => {
  const schema = `matrix_scratch_${unique()}`;
  afterAll(async () => {
    await owner.unsafe(`drop schema if exists "${schema}" cascade`);
  });

  test("fills a table with a composite foreign key by creating the referenced row first", async () => {
    await owner.unsafe(`create schema "${schema}"`);
    await owner.unsafe(`create table "${schema}".parent (business_id bigint not null references public.business_tenants(id),
      id bigint generated by default as identity, label text not null, primary key (business_id, id))`);
    await owner.unsafe(`create table "${schema}".child (business_id bigint not null, id bigint generated by default as identity,
      parent_id bigint not null, qty int not null, at timestamptz not null, tags text[] not null, primary key (business_id, id),
      foreign key (business_id, parent_id) references "${schema}".parent (business_id, id))`);
    const row = await insertSampleRow(owner, "child", A.businessId, { schema });
    expect(Number(row.business_id)).toBe(A.businessId);
    const [parent] = await owner.unsafe(`select business_id from "${schema}".parent where id = $1`, [row.parent_id]);
    expect(Number(parent!.business_id)).toBe(A.businessId);
  });

  test("throws for a column type it cannot generate", async () => {
    await owner.unsafe(`create table "${schema}".odd (business_id bigint not null, shape point not null)`);
    await expect(sampleRow(owner, "odd", A.businessId, { schema })).rejects.toThrow(/cannot generate a value for odd\.shape/);
  });
});
