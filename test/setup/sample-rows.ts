/**
 * Sample rows: values for any tenant table, from its column types, defaults,
 * NOT NULL flags, foreign keys and simple CHECK constraints, read from the
 * catalog. A table this cannot fill throws (the caller's test fails); teach it
 * with SAMPLE_OVERRIDES rather than skipping the table.
 */
import type postgres from "postgres";
import { sql as dsql, type SQL } from "drizzle-orm";
import type { Sql } from "./catalog.ts";
import { sqlState } from "./db-errors.ts";

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
  throw new Error(`cannot generate a value for ${table}.${c.name} (${c.type}); add an entry to SAMPLE_OVERRIDES in test/setup/sample-rows.ts`);
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
