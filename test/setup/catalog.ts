/**
 * Reads the PostgreSQL catalog on an owner connection, so isolation tests are
 * generated from what the database actually holds: a tenant table added by a
 * later migration is covered without anyone editing a list.
 *
 * "Tenant table" = an ordinary or partitioned table with a `business_id` column.
 * Nothing here imports the harness: pass any postgres.js handle (pool,
 * reserved connection or transaction) of a role that can read the catalog.
 * Generated rows for any tenant table: sample-rows.ts; database error helpers: db-errors.ts.
 */
import postgres from "postgres";
import { ROLE_KINDS, roleOf, type DbRoleKind } from "../../src/db/roles.ts";

export type Sql = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

/**
 * This database's login role names (they are per database: src/db/roles.ts), read
 * from the role URLs test/run.ts hands over.
 */
const roleFromEnv = (kind: DbRoleKind) => {
  const url = Bun.env[`DATABASE_${kind.toUpperCase()}_URL`];
  return url ? roleOf(url) : `desibazaar_${kind}`;
};
export const ROLE = Object.fromEntries(ROLE_KINDS.map((kind) => [kind, roleFromEnv(kind)])) as Readonly<Record<DbRoleKind, string>>;
export const LOGIN_ROLES: readonly string[] = ROLE_KINDS.map((kind) => ROLE[kind]);

/** A small owner pool; the caller ends it. */
export function connectOwner(url: string, max = 2): postgres.Sql {
  return postgres(url, { max, onnotice: () => {} });
}

/** Public (or `schema`) tables with a business_id column, by name. */
export async function tenantTables(sql: Sql, schema = "public"): Promise<string[]> {
  const rows = await sql<{ table: string }[]>`
    select c.relname as table
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'business_id' and not a.attisdropped
     where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`;
  return rows.map((r) => r.table);
}

/**
 * Per table, the distinct business_ids of its rows that `sql` can see (only
 * those among `ids`, when given), sorted: what a connection shows of each tenant.
 */
export async function businessIdsByTable(sql: Sql, tables: readonly string[], ids?: number[]): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const table of tables) {
    const rows = ids
      ? await sql.unsafe(`select distinct business_id from public."${table}" where business_id = any($1::bigint[])`, [ids])
      : await sql.unsafe(`select distinct business_id from public."${table}"`);
    out[table] = rows.map((r) => Number(r.business_id)).sort();
  }
  return out;
}

/**
 * Tables with a business_id outside `allowed` schemas: the checks here look at one
 * schema, so a tenant table created elsewhere must not go unnoticed. Test scratch
 * schemas (`*_scratch_*`) are ignored.
 */
export async function tenantTablesElsewhere(sql: Sql, allowed: string[] = ["public"]): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select n.nspname || '.' || c.relname as name
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'business_id' and not a.attisdropped
     where c.relkind in ('r', 'p') and n.nspname <> all(${allowed}::text[])
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like '%\_scratch\_%'
     order by 1`;
  return rows.map((r) => r.name);
}

export interface TableProtection {
  table: string;
  rls: boolean;
  forced: boolean;
  policies: number;
}

export async function tenantTableProtection(sql: Sql, schema = "public"): Promise<TableProtection[]> {
  return sql<TableProtection[]>`
    select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
           (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'business_id' and not a.attisdropped
     where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`;
}

export interface UnprotectedTable {
  table: string;
  missing: ("rls" | "force" | "policy")[];
}

/** Tenant tables lacking RLS, FORCE RLS, or any policy, with what each lacks. */
export async function findUnprotectedTables(sql: Sql, schema = "public"): Promise<UnprotectedTable[]> {
  const out: UnprotectedTable[] = [];
  for (const t of await tenantTableProtection(sql, schema)) {
    const missing: UnprotectedTable["missing"] = [];
    if (!t.rls) missing.push("rls");
    if (!t.forced) missing.push("force");
    if (t.policies === 0) missing.push("policy");
    if (missing.length) out.push({ table: t.table, missing });
  }
  return out;
}

export interface PolicyRow {
  table: string;
  policy: string;
  permissive: string;
  roles: string[];
  cmd: string;
  qual: string | null;
  with_check: string | null;
}

/** Every policy on the tenant tables of `schema` (pg_policies, roles as names). */
export async function tenantPolicies(sql: Sql, schema = "public"): Promise<PolicyRow[]> {
  const tables = await tenantTables(sql, schema);
  if (!tables.length) return [];
  return sql<PolicyRow[]>`
    select tablename as table, policyname as policy, permissive, roles::text[] as roles, cmd, qual, with_check
      from pg_policies
     where schemaname = ${schema} and tablename in ${sql(tables)}
     order by tablename, policyname`;
}

/** Policies that apply to `role` (named, or to PUBLIC). */
export const policiesFor = (policies: PolicyRow[], role: string) =>
  policies.filter((p) => p.roles.includes(role) || p.roles.includes("public"));

/** Whether a policy expression ties business_id to the current tenant. */
const confinesToTenant = (expr: string | null) => !!expr && /\bbusiness_id\b/.test(expr) && /app\.current_tenant_id/.test(expr);

/** Tenant tables with no policy for `role` that filters on business_id (both USING and WITH CHECK). */
export async function findTablesWithoutTenantPolicy(sql: Sql, role: string = ROLE.app, schema = "public"): Promise<string[]> {
  const policies = policiesFor(await tenantPolicies(sql, schema), role);
  return (await tenantTables(sql, schema)).filter(
    (t) => !policies.some((p) => p.table === t && p.cmd === "ALL" && confinesToTenant(p.qual) && confinesToTenant(p.with_check)),
  );
}

/**
 * Policies for `role` on tenant tables that do not confine it to the current tenant:
 * permissive policies are ORed together, so one extra `FOR UPDATE USING (true)` opens every row.
 */
export async function findWideTenantPolicies(sql: Sql, role: string = ROLE.app, schema = "public"): Promise<PolicyRow[]> {
  return policiesFor(await tenantPolicies(sql, schema), role).filter(
    (p) => p.permissive === "PERMISSIVE" && (!confinesToTenant(p.qual ?? p.with_check) || (p.with_check !== null && !confinesToTenant(p.with_check))),
  );
}

/** Policies for `role` on tenant tables whose USING or WITH CHECK contains an OR. */
export async function findOrPolicies(sql: Sql, role: string = ROLE.app, schema = "public"): Promise<PolicyRow[]> {
  const hasOr = (expr: string | null) => !!expr && /\sOR\s/i.test(expr);
  return policiesFor(await tenantPolicies(sql, schema), role).filter((p) => hasOr(p.qual) || hasOr(p.with_check));
}

/** Primary key columns of each tenant table, in key order ([] when there is none). */
export async function tenantPrimaryKeys(sql: Sql, schema = "public"): Promise<{ table: string; columns: string[] }[]> {
  const tables = await tenantTables(sql, schema);
  if (!tables.length) return [];
  const rows = await sql<{ table: string; columns: string[] | null }[]>`
    select c.relname as table,
           (select array_agg(a.attname::text order by k.ord)
              from pg_constraint pk
              cross join unnest(pk.conkey) with ordinality k(attnum, ord)
              join pg_attribute a on a.attrelid = pk.conrelid and a.attnum = k.attnum
             where pk.conrelid = c.oid and pk.contype = 'p') as columns
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relname in ${sql(tables)}
     order by c.relname`;
  return rows.map((r) => ({ table: r.table, columns: r.columns ?? [] }));
}

export async function primaryKeyIndex(sql: Sql, table: string, schema = "public"): Promise<string> {
  const [row] = await sql<{ name: string }[]>`
    select i.relname as name from pg_constraint pk join pg_class i on i.oid = pk.conindid
     where pk.conrelid = ${`${schema}.${table}`}::regclass and pk.contype = 'p'`;
  if (!row) throw new Error(`${schema}.${table} has no primary key`);
  return row.name;
}

export interface RoleFacts {
  role: string;
  superuser: boolean;
  bypassrls: boolean;
  createrole: boolean;
  createdb: boolean;
  /** Roles this one is a member of (directly or not), i.e. could SET ROLE to. */
  memberOf: string[];
}

export async function loginRoleFacts(sql: Sql, roles: readonly string[] = LOGIN_ROLES): Promise<RoleFacts[]> {
  return sql<RoleFacts[]>`
    select r.rolname as role, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
           r.rolcreaterole as createrole, r.rolcreatedb as createdb,
           coalesce((select array_agg(o.rolname::text order by o.rolname) from pg_roles o
                      where o.oid <> r.oid and pg_has_role(r.oid, o.oid, 'MEMBER')), '{}') as "memberOf"
      from pg_roles r where r.rolname in ${sql(roles as string[])}
     order by r.rolname`;
}

/** Relations, functions, schemas and types in the current database owned by any of `roles`. */
export async function objectsOwnedBy(sql: Sql, roles: readonly string[] = LOGIN_ROLES): Promise<{ kind: string; name: string; owner: string }[]> {
  return sql<{ kind: string; name: string; owner: string }[]>`
    with r as (select oid, rolname from pg_roles where rolname in ${sql(roles as string[])})
    select 'relation:' || c.relkind::text as kind, c.oid::regclass::text as name, r.rolname as owner
      from pg_class c join r on r.oid = c.relowner
    union all
    select 'function', p.oid::regprocedure::text, r.rolname from pg_proc p join r on r.oid = p.proowner
    union all
    select 'schema', n.nspname::text, r.rolname from pg_namespace n join r on r.oid = n.nspowner
    union all
    select 'type', t.oid::regtype::text, r.rolname from pg_type t join r on r.oid = t.typowner
     where t.typrelid = 0 and t.typcategory <> 'A' -- row and array types come with their relation`;
}
