/**
 * RLS must not cost the index. With 20k audit_log rows over 200 tenants (inserted
 * interleaved, as time would), the plans of tenant-scoped lists run through
 * asTenant, with RLS alone and with an explicit business_id filter, must scan the
 * audit_log primary key (business_id, id), never the whole table.
 *
 * Control: a copy of the same rows under a policy widened with
 * `OR <super-admin setting>` (the design DESIGN.md rejects) must plan as a
 * sequential scan, which shows the plan check can fail.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql, type SQL } from "drizzle-orm";
import { ownerUrl, scopes } from "../setup/harness.ts";
import { connectOwner, primaryKeyIndex, ROLE } from "../setup/catalog.ts";
import { createTenant, createUser, unique } from "../setup/fixtures.ts";

const TENANTS = 200;
const ROWS_PER_TENANT = 100;

const owner = connectOwner(ownerUrl);
const scratch = `explain_scratch_${unique()}`;
const tenants: number[] = [];
let pkIndex = "";

beforeAll(async () => {
  const user = await createUser();
  for (let i = 0; i < TENANTS; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, TENANTS - i) }, () => createTenant(user)));
    tenants.push(...batch.map((t) => t.businessId));
  }
  // The owner is the superuser (RLS does not apply to it), so it can seed every tenant at once.
  await owner`
    insert into audit_log (business_id, action, entity_type, entity_id, details)
    select t.id, 'explain.seed', 'explain', g::text, jsonb_build_object('n', g)
      from unnest(${tenants}::bigint[]) as t(id), generate_series(1, ${ROWS_PER_TENANT}) as g
     order by g, t.id`;
  await owner`analyze audit_log`;
  pkIndex = await primaryKeyIndex(owner, "audit_log");

  // The control: the same rows in a scratch copy whose tenant policy ORs in a super-admin setting.
  const copy = `"${scratch}".audit_copy`;
  const tenantExpr = `business_id = (select app.current_tenant_id())`;
  await owner.begin(async (tx) => {
    await tx.unsafe(`create schema "${scratch}"`);
    await tx.unsafe(`create table ${copy} (like public.audit_log including all)`);
    await tx.unsafe(`insert into ${copy} select * from public.audit_log`);
    await tx.unsafe(`alter table ${copy} enable row level security, force row level security`);
    await tx.unsafe(
      `create policy tenant_or_admin on ${copy} for all to ${ROLE.app} using (${tenantExpr} or current_setting('app.is_super_admin', true) = 'true')`,
    );
    await tx.unsafe(`grant usage on schema "${scratch}" to ${ROLE.app}`);
    await tx.unsafe(`grant select on ${copy} to ${ROLE.app}`);
  });
  await owner.unsafe(`analyze ${copy}`);
}, 120_000);

afterAll(async () => {
  await owner.unsafe(`drop schema if exists "${scratch}" cascade`);
  await owner.end({ timeout: 5 });
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

/** EXPLAIN (FORMAT JSON) of `query`, run as tenant `businessId` through asTenant. */
async function planAsTenant(businessId: number, query: SQL): Promise<PlanNode[]> {
  const rows = await scopes.asTenant(businessId, (s) => s.db.execute(sql`explain (format json) ${query}`), { readOnly: true });
  const raw = (rows[0] as Record<string, unknown>)["QUERY PLAN"];
  const doc = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return flatten(doc[0]!.Plan);
}

/** What the plan does with `relation`: seq scans of it, and index scans of `index` keyed on business_id. */
function access(nodes: PlanNode[], relation: string, index: string) {
  return {
    seqScans: nodes.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === relation).length,
    tenantIndexScans: nodes.filter(
      (n) =>
        ["Index Scan", "Index Only Scan", "Bitmap Index Scan"].includes(n["Node Type"]) &&
        n["Index Name"] === index &&
        /business_id/.test(n["Index Cond"] ?? ""),
    ).length,
  };
}

/** Tenant-scoped lists as the app writes them: RLS alone, and RLS plus the explicit filter DESIGN.md asks for. */
const lists = (businessId: number, table: SQL) => ({
  "RLS only: newest 50": sql`select id, action, created_at from ${table} order by id desc limit 50`,
  "RLS only: all rows": sql`select id, action from ${table}`,
  "RLS only: one row by id": sql`select action from ${table} where id = 42`,
  "explicit business_id: newest 50": sql`select id, action, created_at from ${table} where business_id = ${businessId} order by id desc limit 50`,
  "explicit business_id: all rows": sql`select id, action from ${table} where business_id = ${businessId}`,
});

describe("tenant-scoped queries on audit_log use its primary key", () => {
  test("the seed is there: 20k rows over 200 tenants, and each tenant sees its 100", async () => {
    const [row] = await owner`select count(*)::int as n, count(distinct business_id)::int as t from audit_log
                                where entity_type = 'explain' and business_id in ${owner(tenants)}`;
    expect(row).toEqual({ n: TENANTS * ROWS_PER_TENANT, t: TENANTS });
    const seen = await scopes.asTenant(tenants[7]!, (s) => s.db.execute(sql`select count(*)::int as n from audit_log where entity_type = 'explain'`));
    expect(seen[0]!.n).toBe(ROWS_PER_TENANT);
  });

  for (const name of Object.keys(lists(0, sql``))) {
    test(`${name}: index scan on the primary key, no sequential scan`, async () => {
      const tenant = tenants[TENANTS / 2]!;
      const nodes = await planAsTenant(tenant, lists(tenant, sql`audit_log`)[name as keyof ReturnType<typeof lists>]);
      const { seqScans, tenantIndexScans } = access(nodes, "audit_log", pkIndex);
      const plan = nodes.map((n) => `${n["Node Type"]}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""}`);
      // The plan is part of the comparison so a failure prints it.
      expect({ plan, seqScans, usesPrimaryKey: tenantIndexScans > 0 }).toEqual({ plan, seqScans: 0, usesPrimaryKey: true });
    });
  }
});

describe("control: an OR in the tenant policy loses the index", () => {
  test("the same RLS-only list on a copy with `tenant OR super-admin setting` plans a sequential scan", async () => {
    const tenant = tenants[TENANTS / 2]!;
    const copyIndex = (await owner<{ name: string }[]>`
      select i.relname as name from pg_constraint c join pg_class i on i.oid = c.conindid
       where c.conrelid = ${`"${scratch}".audit_copy`}::regclass and c.contype = 'p'`)[0]!.name;
    const query = lists(tenant, sql`${sql.identifier(scratch)}.audit_copy`)["RLS only: newest 50"];
    const found = access(await planAsTenant(tenant, query), "audit_copy", copyIndex);
    expect(found).toEqual({ seqScans: 1, tenantIndexScans: 0 });
    // And it still filters correctly: the problem is cost and forgeability, not wrong rows today.
    const rows = await scopes.asTenant(tenant, (s) => s.db.execute(sql`select distinct business_id from ${sql.identifier(scratch)}.audit_copy`));
    expect(rows.map((r) => Number(r.business_id))).toEqual([tenant]);
  });
});
