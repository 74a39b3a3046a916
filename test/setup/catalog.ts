/**
 * Reads the PostgreSQL catalog on an owner connection, so isolation tests are
 * generated from what the database actually holds: a tenant table added by a
 * later migration is covered without anyone editing a list.
 *
 * "Tenant table" = an ordinary or partitioned table with a `business_id` column.
 * Nothing here imports the harness: pass any postgres.js handle (pool,
 * reserved connection or transaction) of a role that can read the catalog.
 */
import postgres from "postgres";
import { sql as dsql, type SQL } from "drizzle-orm";

export type Sql = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

/**
 * This database's login role names (they are per database: src/db/roles.ts), read
 * from the role URLs test/run.ts hands over.
 */
const roleFromEnv = (kind: "app" | "customer" | "admin" | "platform") => {
  const url = Bun.env[`DATABASE_${kind.toUpperCase()}_URL`];
  return url ? decodeURIComponent(new URL(url).username) : `desibazaar_${kind}`;
};
export const ROLE = { app: roleFromEnv("app"), customer: roleFromEnv("customer"), admin: roleFromEnv("admin"), platform: roleFromEnv("platform") } as const;
export const LOGIN_ROLES = [ROLE.app, ROLE.customer, ROLE.admin, ROLE.platform] as const;

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

/** Tenant tables with no policy for `role` that filters on business_id (both USING and WITH CHECK). */
export async function findTablesWithoutTenantPolicy(sql: Sql, role: string = ROLE.app, schema = "public"): Promise<string[]> {
  const policies = policiesFor(await tenantPolicies(sql, schema), role);
  const filters = (expr: string | null) => !!expr && /\bbusiness_id\b/.test(expr) && /app\.current_tenant_id/.test(expr);
  return (await tenantTables(sql, schema)).filter(
    (t) => !policies.some((p) => p.table === t && p.cmd === "ALL" && filters(p.qual) && filters(p.with_check)),
  );
}

/**
 * Policies for `role` on tenant tables that do not confine it to the current tenant:
 * permissive policies are ORed together, so one extra `FOR UPDATE USING (true)` opens every row.
 */
export async function findWideTenantPolicies(sql: Sql, role: string = ROLE.app, schema = "public"): Promise<PolicyRow[]> {
  const confines = (expr: string | null) => !!expr && /\bbusiness_id\b/.test(expr) && /app\.current_tenant_id/.test(expr);
  return policiesFor(await tenantPolicies(sql, schema), role).filter(
    (p) => p.permissive === "PERMISSIVE" && (!confines(p.qual ?? p.with_check) || (p.with_check !== null && !confines(p.with_check))),
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

// ---------------------------------------------------------------------------
// Sample rows: values for any tenant table, from its column types, defaults,
// NOT NULL flags, foreign keys and simple CHECK constraints. A table this cannot
// fill throws (the caller's test fails); teach it with SAMPLE_OVERRIDES rather
// than skipping the table.
// ---------------------------------------------------------------------------

export interface ColumnInfo {
  name: string;
  type: string; // format_type: what values are cast to
  typname: string; // base type name (domains resolved)
  typtype: string;
  typcategory: string;
  notNull: boolean;
  hasDefault: boolean;
  identity: string;
  generated: string;
  enumLabels: string[] | null;
  typmod: number;
}

export async function tableColumns(sql: Sql, table: string, schema = "public"): Promise<ColumnInfo[]> {
  return sql<ColumnInfo[]>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
           bt.typname as typname, bt.typtype as typtype, bt.typcategory as typcategory,
           (a.attnotnull or t.typnotnull) as "notNull", (a.atthasdef or t.typdefault is not null) as "hasDefault",
           a.attidentity as identity, a.attgenerated as generated, a.atttypmod as typmod,
           (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = bt.oid) as "enumLabels"
      from pg_attribute a
      join pg_type t on t.oid = a.atttypid
      join pg_type bt on bt.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
     where a.attrelid = ${`${schema}.${table}`}::regclass and a.attnum > 0 and not a.attisdropped
     order by a.attnum`;
}

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
}

export async function foreignKeys(sql: Sql, table: string, schema = "public"): Promise<ForeignKeyInfo[]> {
  return sql<ForeignKeyInfo[]>`
    select con.conname as name, rn.nspname as "refSchema", rc.relname as "refTable",
           (select array_agg(a.attname::text order by k.ord) from unnest(con.conkey) with ordinality k(n, ord)
              join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n) as columns,
           (select array_agg(a.attname::text order by k.ord) from unnest(con.confkey) with ordinality k(n, ord)
              join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n) as "refColumns"
      from pg_constraint con
      join pg_class rc on rc.oid = con.confrelid
      join pg_namespace rn on rn.oid = rc.relnamespace
     where con.conrelid = ${`${schema}.${table}`}::regclass and con.contype = 'f'`;
}

async function checkConstraints(sql: Sql, table: string, schema: string): Promise<string[]> {
  const rows = await sql<{ def: string }[]>`
    select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = ${`${schema}.${table}`}::regclass and contype = 'c'`;
  return rows.map((r) => r.def);
}

export interface SampleContext {
  businessId: number;
  unique: () => string;
}

/** Per-table values the generic generator cannot guess; keyed by table name, absent tables are ignored. */
export type SampleOverrides = Record<string, (ctx: SampleContext) => Record<string, string | null>>;

export const SAMPLE_OVERRIDES: SampleOverrides = {};

export interface SampleRow {
  schema: string;
  table: string;
  columns: string[];
  values: (string | null)[];
  types: string[];
}

export interface SampleOptions {
  schema?: string;
  overrides?: SampleOverrides;
  /** 0 = conservative values (1, ordered times, well-known formats); higher = more random. */
  attempt?: number;
  depth?: number;
}

let sampleCounter = 0;
const uniqueText = () => `sample_${Date.now().toString(36)}_${(++sampleCounter).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Text that fits what a column's name says it holds (CHECKs on such columns are common). */
function textByName(name: string): string | undefined {
  if (/currency/.test(name)) return "INR";
  if (/email/.test(name)) return `${uniqueText()}@example.test`;
  if (/locale/.test(name)) return "en-IN";
  if (/time_?zone/.test(name)) return "Asia/Kolkata";
  if (/country/.test(name)) return "IN";
  if (/phone/.test(name)) return "+911234567890";
  if (/url/.test(name)) return `https://example.test/${uniqueText()}`;
  if (/slug|key|code/.test(name)) return uniqueText().replaceAll("_", "-");
  return undefined;
}

/** The first value a CHECK allows for `column` when it is a list: `column = ANY (ARRAY['a'::text, ...])`. */
function allowedByCheck(checks: string[], column: string): string | undefined {
  const pattern = new RegExp(`\\b${column}\\b\\)?(?:::\\w+)?\\s*=\\s*ANY\\s*\\(+ARRAY\\['((?:[^']|'')*)'`);
  for (const def of checks) {
    const m = pattern.exec(def);
    if (m) return m[1]!.replaceAll("''", "'");
  }
  return undefined;
}

function valueForType(c: ColumnInfo, table: string, position: number, checks: string[], attempt: number): string {
  if (c.typcategory === "A") return "{}";
  if (c.typtype === "e") return c.enumLabels![0]!;
  // Times increase with column position, so `starts_at < ends_at` style CHECKs hold.
  const at = new Date(Date.now() + 86_400_000 + position * 600_000 + attempt * 3_600_000);
  switch (c.typname) {
    case "text": case "varchar": case "bpchar": case "citext": case "name": {
      const v = allowedByCheck(checks, c.name) ?? (attempt < 2 ? textByName(c.name) : undefined) ?? uniqueText();
      return c.typmod > 4 ? v.slice(-(c.typmod - 4)) : v;
    }
    case "int2": case "int4": case "int8": case "numeric": case "float4": case "float8": case "money":
      // 1 satisfies the usual `> 0`, `>= 0`, `between 0 and 6`; later attempts dodge unique collisions.
      return String(attempt === 0 ? 1 : 1 + Math.floor(Math.random() * (attempt % 2 ? 6 : 30000)));
    case "bool": return "false";
    case "timestamptz": case "timestamp": return at.toISOString();
    case "date": return at.toISOString().slice(0, 10);
    case "time": case "timetz": return `${String(8 + Math.floor(position / 6)).padStart(2, "0")}:${String((position % 6) * 10).padStart(2, "0")}:00`;
    case "interval": return "1 day";
    case "uuid": return crypto.randomUUID();
    case "json": case "jsonb": return "{}";
    case "bytea": return "\\x00";
    case "inet": case "cidr": return "127.0.0.1";
  }
  throw new Error(`cannot generate a value for ${table}.${c.name} (${c.type}); add an entry to SAMPLE_OVERRIDES in test/setup/catalog.ts`);
}

/**
 * A row for `table` owned by `businessId`. Referenced rows come from the same
 * business (read on `sql`, which must see every tenant: the superuser owner);
 * when a referenced tenant table has none, one is inserted first (depth-limited).
 */
export async function sampleRow(sql: postgres.Sql, table: string, businessId: number, options: SampleOptions = {}): Promise<SampleRow> {
  const schema = options.schema ?? "public";
  const [depth, attempt] = [options.depth ?? 0, options.attempt ?? 0];
  const cols = await tableColumns(sql, table, schema);
  const checks = await checkConstraints(sql, table, schema);
  const values = new Map<string, string | null>([["business_id", String(businessId)]]);
  const override = (options.overrides ?? SAMPLE_OVERRIDES)[table];
  for (const [k, v] of Object.entries(override?.({ businessId, unique: uniqueText }) ?? {})) values.set(k, v);

  const needs = (c: ColumnInfo) => c.notNull && !c.hasDefault && !c.identity && !c.generated && !values.has(c.name);
  for (const fk of await foreignKeys(sql, table, schema)) {
    if (!fk.columns.some((name) => needs(cols.find((c) => c.name === name)!))) continue;
    const refIsTenant = (await tableColumns(sql, fk.refTable, fk.refSchema)).some((c) => c.name === "business_id");
    const pick = () =>
      sql.unsafe(
        `select ${fk.refColumns.map((c) => `"${c}"::text`).join(", ")} from "${fk.refSchema}"."${fk.refTable}"
          ${refIsTenant ? "where business_id = $1" : ""} order by random() limit 1`,
        refIsTenant ? [String(businessId)] : [],
      );
    let [ref] = await pick();
    if (!ref && refIsTenant && depth < 4 && !(fk.refTable === table && fk.refSchema === schema)) {
      await insertSampleRow(sql, fk.refTable, businessId, { ...options, schema: fk.refSchema, depth: depth + 1 });
      [ref] = await pick();
    }
    if (!ref) throw new Error(`cannot fill ${table}(${fk.columns}): ${fk.refSchema}.${fk.refTable} has no row for business ${businessId}`);
    fk.columns.forEach((name, i) => {
      if (!values.has(name)) values.set(name, ref![fk.refColumns[i]!] as string);
    });
  }
  cols.forEach((c, position) => {
    if (needs(c)) values.set(c.name, valueForType(c, table, position, checks, attempt));
  });

  const known = new Map(cols.map((c) => [c.name, c]));
  const columns = [...values.keys()];
  for (const name of columns) if (!known.has(name)) throw new Error(`SAMPLE_OVERRIDES for ${table} names unknown column ${name}`);
  return { schema, table, columns, values: columns.map((n) => values.get(n)!), types: columns.map((n) => known.get(n)!.type) };
}

/** INSERT text and parameters for a sample row (postgres.js `unsafe`). */
export function insertText(row: SampleRow, suffix = " returning *"): { text: string; params: (string | null)[] } {
  const cols = row.columns.map((c) => `"${c}"`).join(", ");
  const vals = row.types.map((t, i) => `$${i + 1}::${t}`).join(", ");
  return { text: `insert into "${row.schema}"."${row.table}" (${cols}) values (${vals})${suffix}`, params: row.values };
}

/**
 * The same INSERT as drizzle SQL, for running through a scope (`scope.db.execute`).
 * Without `returning` by default: RETURNING makes PostgreSQL also apply the SELECT
 * (USING) policy to the new row, which would hide a broken WITH CHECK.
 */
export function insertSql(row: SampleRow, options: { returning?: boolean } = {}): SQL {
  const cols = dsql.join(row.columns.map((c) => dsql.identifier(c)), dsql`, `);
  const vals = dsql.join(row.values.map((v, i) => dsql`${v}::${dsql.raw(row.types[i]!)}`), dsql`, `);
  const returning = options.returning ? dsql` returning *` : dsql``;
  return dsql`insert into ${dsql.identifier(row.schema)}.${dsql.identifier(row.table)} (${cols}) values (${vals})${returning}`;
}

/** Violations a differently generated row may avoid: check (23514), unique (23505), exclusion (23P01). */
const RETRYABLE = new Set(["23514", "23505", "23P01"]);
const ATTEMPTS = 6;

class ValidationRollback {}

/**
 * A sample row the database accepts: each candidate is inserted by `sql` (the
 * owner) with ON CONFLICT DO NOTHING inside a transaction that is rolled back,
 * so unique keys the business already holds (one-row-per-business tables) are no
 * obstacle but CHECK, NOT NULL and foreign keys are.
 */
export async function validSampleRow(sql: postgres.Sql, table: string, businessId: number, options: SampleOptions = {}): Promise<SampleRow> {
  let last: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const row = await sampleRow(sql, table, businessId, { ...options, attempt });
    const { text, params } = insertText(row, " on conflict do nothing");
    try {
      await sql.begin(async (tx) => {
        await tx.unsafe(text, params);
        throw new ValidationRollback();
      });
    } catch (error) {
      if (error instanceof ValidationRollback) return row;
      if (!RETRYABLE.has(sqlState(error) ?? "")) throw error;
      last = error;
    }
  }
  throw new Error(`no generated row for ${table} passes its constraints (${String((last as Error)?.message)}); add SAMPLE_OVERRIDES.${table}`);
}

/** Inserts (and commits) a generated row, retrying with other values when a constraint refuses one. */
export async function insertSampleRow(sql: postgres.Sql, table: string, businessId: number, options: SampleOptions = {}): Promise<postgres.Row> {
  let last: unknown;
  for (let attempt = options.attempt ?? 0; attempt < ATTEMPTS; attempt++) {
    const { text, params } = insertText(await sampleRow(sql, table, businessId, { ...options, attempt }));
    try {
      const [row] = await sql.unsafe(text, params);
      return row!;
    } catch (error) {
      if (!RETRYABLE.has(sqlState(error) ?? "")) throw error;
      last = error;
    }
  }
  throw new Error(`could not insert a generated row into ${table} (${String((last as Error)?.message)}); add SAMPLE_OVERRIDES.${table}`);
}

/** The SQLSTATE of a postgres.js error, also when drizzle wrapped it (DrizzleQueryError.cause). */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** Awaits `p`, which must reject; returns the SQLSTATE and message of the database error. */
export async function dbError(p: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await p;
  } catch (error) {
    let e = error as { cause?: unknown; message?: string };
    while (e.cause && typeof (e as { code?: unknown }).code !== "string") e = e.cause as typeof e;
    return { code: sqlState(error), message: String(e.message) };
  }
  throw new Error("expected the database to refuse this, but it succeeded");
}
