/**
 * The database layer of isolation, checked from the catalog: every table with a
 * business_id is RLS-protected (enabled, FORCED, with a tenant policy without OR),
 * keyed by business_id first, and the login roles can neither bypass RLS nor own
 * anything. Each detector is also run on deliberately broken tables in a scratch
 * schema, so a check that could never fail would be caught here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ownerUrl } from "../setup/harness.ts";
import {
  LOGIN_ROLES,
  ROLE,
  connectOwner,
  findOrPolicies,
  findWideTenantPolicies,
  findTablesWithoutTenantPolicy,
  findUnprotectedTables,
  loginRoleFacts,
  objectsOwnedBy,
  tenantPolicies,
  tenantPrimaryKeys,
  tenantTables,
  tenantTablesElsewhere,
} from "../setup/catalog.ts";
import { unique } from "../setup/fixtures.ts";

const owner = connectOwner(ownerUrl);
afterAll(() => owner.end({ timeout: 5 }));

describe("tenant tables in public", () => {
  test("the catalog finds the tenant tables (an empty list would make every other check vacuous)", async () => {
    const tables = await tenantTables(owner);
    for (const core of ["audit_log", "business_access", "business_settings", "business_subscriptions", "roles"]) {
      expect(tables).toContain(core);
    }
  });

  test("no table with business_id lives outside public, where these checks would not look", async () => {
    expect(await tenantTablesElsewhere(owner)).toEqual([]);
  });

  test("every table with business_id has RLS enabled, FORCED, and a policy", async () => {
    expect(await findUnprotectedTables(owner)).toEqual([]);
  });

  test("every tenant table has a FOR ALL policy for the tenant role filtering business_id on read and write", async () => {
    expect(await findTablesWithoutTenantPolicy(owner, ROLE.app)).toEqual([]);
  });

  test("every permissive policy for the tenant role on a tenant table confines it to the current tenant", async () => {
    expect(await findWideTenantPolicies(owner, ROLE.app)).toEqual([]);
  });

  test("no policy for the tenant role on a tenant table contains OR (it defeats the business_id index and invites forged widening)", async () => {
    const policies = await tenantPolicies(owner);
    expect(policies.length).toBeGreaterThan(0);
    expect(await findOrPolicies(owner, ROLE.app)).toEqual([]);
  });

  test("no tenant-table policy for the tenant role consults a super-admin flag", async () => {
    const leaky = (await tenantPolicies(owner)).filter(
      (p) => p.roles.includes(ROLE.app) && /super_admin/i.test(`${p.qual} ${p.with_check}`),
    );
    expect(leaky).toEqual([]);
  });

  test("only the super-admin role has unconditional (USING true) policies on tenant tables", async () => {
    const open = (await tenantPolicies(owner)).filter((p) => p.qual === "true" || p.with_check === "true");
    expect(open.length).toBeGreaterThan(0);
    for (const p of open) {
      // The platform role may read published directory rows; it never gets `true`.
      expect({ table: p.table, policy: p.policy, roles: p.roles }).toEqual({ table: p.table, policy: p.policy, roles: [ROLE.admin] });
    }
  });

  test("every tenant table's primary key starts with business_id (index locality, Citus distribution)", async () => {
    const keys = await tenantPrimaryKeys(owner);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.columns[0] !== "business_id")).toEqual([]);
  });
});

describe("login roles", () => {
  test("all four exist and none is superuser, bypasses RLS, creates roles or databases", async () => {
    const facts = await loginRoleFacts(owner);
    expect(facts.map((f) => f.role)).toEqual([...LOGIN_ROLES].sort());
    for (const f of facts) {
      expect({ role: f.role, superuser: f.superuser, bypassrls: f.bypassrls, createrole: f.createrole, createdb: f.createdb }).toEqual({
        role: f.role,
        superuser: false,
        bypassrls: false,
        createrole: false,
        createdb: false,
      });
    }
  });

  test("none is a member of another role (so none can SET ROLE to the owner or the admin role)", async () => {
    for (const f of await loginRoleFacts(owner)) expect({ role: f.role, memberOf: f.memberOf }).toEqual({ role: f.role, memberOf: [] });
  });

  test("none owns a table, sequence, view, function, schema or type in this database", async () => {
    expect(await objectsOwnedBy(owner)).toEqual([]);
  });

  test("the tables are owned by a role other than the login roles", async () => {
    const owners = await owner<{ owner: string }[]>`
      select distinct pg_get_userbyid(c.relowner) as owner from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'S')`;
    expect(owners.length).toBeGreaterThan(0);
    for (const o of owners) expect(LOGIN_ROLES as readonly string[]).not.toContain(o.owner);
  });
});

/**
 * The detectors above must be able to fail. A scratch schema holds one table per
 * mistake; each detector must name exactly the broken ones.
 */
describe("the catalog checks catch broken tables", () => {
  const schema = `isolation_scratch_${unique()}`;

  beforeAll(async () => {
    const s = `"${schema}"`;
    const tenantExpr = `business_id = (select app.current_tenant_id())`;
    await owner.begin(async (tx) => {
      await tx.unsafe(`create schema ${s}`);
      await tx.unsafe(`create table ${s}.no_rls (business_id bigint not null, id bigint not null, primary key (business_id, id))`);
      await tx.unsafe(`create table ${s}.not_forced (business_id bigint not null, id bigint not null, primary key (business_id, id))`);
      await tx.unsafe(`alter table ${s}.not_forced enable row level security`);
      await tx.unsafe(`create policy p on ${s}.not_forced for all to ${ROLE.app} using (${tenantExpr}) with check (${tenantExpr})`);
      await tx.unsafe(`create table ${s}.no_policy (business_id bigint not null, id bigint not null, primary key (business_id, id))`);
      await tx.unsafe(`alter table ${s}.no_policy enable row level security, force row level security`);
      await tx.unsafe(`create table ${s}.or_policy (business_id bigint not null, id bigint not null, primary key (business_id, id))`);
      await tx.unsafe(`alter table ${s}.or_policy enable row level security, force row level security`);
      await tx.unsafe(
        `create policy p on ${s}.or_policy for all to ${ROLE.app} using (${tenantExpr} or current_setting('app.is_super_admin', true) = 'true') with check (${tenantExpr})`,
      );
      await tx.unsafe(`create table ${s}.id_first (id bigint not null, business_id bigint not null, primary key (id, business_id))`);
      await tx.unsafe(`alter table ${s}.id_first enable row level security, force row level security`);
      await tx.unsafe(`create policy p on ${s}.id_first for all to ${ROLE.app} using (${tenantExpr}) with check (${tenantExpr})`);
      await tx.unsafe(`create table ${s}.good (business_id bigint not null, id bigint not null, primary key (business_id, id))`);
      await tx.unsafe(`alter table ${s}.good enable row level security, force row level security`);
      await tx.unsafe(`create policy p on ${s}.good for all to ${ROLE.app} using (${tenantExpr}) with check (${tenantExpr})`);
      await tx.unsafe(`create table ${s}.extra_wide (business_id bigint not null, id bigint not null, primary key (business_id, id))`);
      await tx.unsafe(`alter table ${s}.extra_wide enable row level security, force row level security`);
      await tx.unsafe(`create policy p on ${s}.extra_wide for all to ${ROLE.app} using (${tenantExpr}) with check (${tenantExpr})`);
      await tx.unsafe(`create policy wide on ${s}.extra_wide for update to ${ROLE.app} using (true)`);
      await tx.unsafe(`create table ${s}.not_tenant (id bigint primary key)`);
    });
  });
  afterAll(async () => {
    await owner.unsafe(`drop schema if exists "${schema}" cascade`);
  });

  test("findUnprotectedTables reports a table without RLS, without FORCE and without policies", async () => {
    expect(await findUnprotectedTables(owner, schema)).toEqual([
      { table: "no_policy", missing: ["policy"] },
      { table: "no_rls", missing: ["rls", "force", "policy"] },
      { table: "not_forced", missing: ["force"] },
    ]);
  });

  test("findUnprotectedTables reports a table added to public without RLS (inside a rolled-back transaction)", async () => {
    const table = `unprotected_${unique()}`;
    const seen = await owner
      .begin(async (tx) => {
        await tx.unsafe(`create table public."${table}" (business_id bigint not null, note text)`);
        const found = await findUnprotectedTables(tx);
        throw Object.assign(new Error("rollback"), { found });
      })
      .catch((e: { found?: unknown }) => e.found);
    expect(seen).toContainEqual({ table, missing: ["rls", "force", "policy"] });
    expect(await tenantTables(owner)).not.toContain(table);
  });

  test("tenantTablesElsewhere reports a tenant table in another schema", async () => {
    const other = `elsewhere_${unique()}`;
    const found = await owner
      .begin(async (tx) => {
        await tx.unsafe(`create schema "${other}"`);
        await tx.unsafe(`create table "${other}".orders (business_id bigint not null)`);
        throw Object.assign(new Error("rollback"), { found: await tenantTablesElsewhere(tx) });
      })
      .catch((e: { found?: unknown }) => e.found);
    expect(found).toEqual([`${other}.orders`]);
  });

  test("findTablesWithoutTenantPolicy reports tables whose app policy is missing", async () => {
    expect(await findTablesWithoutTenantPolicy(owner, ROLE.app, schema)).toEqual(["no_policy", "no_rls"]);
  });

  test("findOrPolicies reports a tenant policy widened with OR", async () => {
    expect((await findOrPolicies(owner, ROLE.app, schema)).map((p) => p.table)).toEqual(["or_policy"]);
  });

  test("findWideTenantPolicies reports an extra policy that is not confined to the tenant", async () => {
    const wide = await findWideTenantPolicies(owner, ROLE.app, schema);
    expect(wide.map((p) => `${p.table}.${p.policy}`)).toEqual(["extra_wide.wide"]);
  });

  test("tenantPrimaryKeys shows a key that does not lead with business_id", async () => {
    const bad = (await tenantPrimaryKeys(owner, schema)).filter((k) => k.columns[0] !== "business_id");
    expect(bad).toEqual([{ table: "id_first", columns: ["id", "business_id"] }]);
  });

  test("objectsOwnedBy sees an object a login role owns (inside a rolled-back transaction)", async () => {
    const owned = await owner
      .begin(async (tx) => {
        await tx.unsafe(`create table "${schema}".owned_by_app (id int)`);
        await tx.unsafe(`alter table "${schema}".owned_by_app owner to ${ROLE.app}`);
        throw Object.assign(new Error("rollback"), { owned: await objectsOwnedBy(tx) });
      })
      .catch((e: { owned?: unknown }) => e.owned);
    expect(owned).toEqual([{ kind: "relation:r", name: `${schema}.owned_by_app`, owner: ROLE.app }]);
    expect(await objectsOwnedBy(owner)).toEqual([]);
  });
});
