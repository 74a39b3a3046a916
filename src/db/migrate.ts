/**
 * One migrate step for start-up, tests and `bun run db:migrate`: create the
 * database if it is missing, apply drizzle's generated migrations, then the
 * hand-written sql/ files in order (roles, functions, RLS, grants, reference
 * data) with this database's role names, then give the login roles their
 * passwords and the database its copy of the context signing key. Every step is
 * idempotent, and an advisory lock keeps two starting processes from interleaving.
 */
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { prepareJobQueue } from "../jobs/install.ts";
import { hmacPads } from "../lib/context-signature.ts";
import { databaseOf, ROLE_KINDS, resolveRoleNames, roleNamesFor, roleUrlsFor, withRoleNames, type DbRoleKind, type ExplicitRoleUrls, type RoleNames, type RoleUrls } from "./roles.ts";

const ROOT = join(import.meta.dir, "..", "..");
const MIGRATION_LOCK = 7_401_220_001;

export interface MigrateOptions {
  ownerUrl: string;
  /** DATABASE_*_URL from the environment: their role names and passwords win. */
  explicitRoleUrls?: ExplicitRoleUrls;
  /** CONTEXT_SIGNING_KEY from the environment; without it, the database's own key (generated once). */
  contextKey?: string;
  log?: (message: string) => void;
}

/** What the app needs to connect: each login role's URL and the context signing key. */
export interface DatabaseAccess {
  roleUrls: RoleUrls;
  roleNames: RoleNames;
  contextKey: string;
}

type Owner = postgres.Sql | postgres.TransactionSql;

/** The same server and credentials, database `postgres`: for creating and dropping databases. */
const maintenanceUrl = (url: string) => Object.assign(new URL(url), { pathname: "/postgres" }).toString();

export async function ensureDatabaseExists(ownerUrl: string): Promise<void> {
  const database = databaseOf(ownerUrl);
  const maintenance = postgres(maintenanceUrl(ownerUrl), { max: 1, onnotice: () => {} });
  try {
    const [row] = await maintenance`select 1 as present from pg_database where datname = ${database}`;
    if (!row) await maintenance.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } catch (error) {
    // A concurrent creator won the race; anything else is real.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await maintenance.end();
  }
}

/** A secret kept in app_private.secrets: generated the first time it is asked for. */
async function storedSecret(sql: Owner, name: string): Promise<string> {
  const generated = randomBytes(32).toString("base64url");
  const [row] = await sql<{ value: string }[]>`
    with added as (insert into app_private.secrets (name, value) values (${name}, ${generated}) on conflict (name) do nothing returning value)
    select value from added union all select value from app_private.secrets where name = ${name} limit 1`;
  return row!.value;
}

/** Passwords for the login roles (given, or kept in the database) and the context key, installed. */
async function installAccess(sql: Owner, options: MigrateOptions, names: RoleNames): Promise<DatabaseAccess> {
  const passwords = {} as Record<DbRoleKind, string>;
  for (const kind of ROLE_KINDS) {
    const given = options.explicitRoleUrls?.[kind];
    passwords[kind] = given ? decodeURIComponent(new URL(given).password) : await storedSecret(sql, `role_password:${names[kind]}`);
    if (passwords[kind]) await sql.unsafe(`alter role "${names[kind]}" password '${passwords[kind].replaceAll("'", "''")}'`);
  }
  const contextKey = options.contextKey ?? (await storedSecret(sql, "context_key"));
  const { inner, outer } = hmacPads(contextKey);
  await sql`insert into app_private.context_key (id, inner_pad, outer_pad) values (1, ${inner}, ${outer})
            on conflict (id) do update set inner_pad = excluded.inner_pad, outer_pad = excluded.outer_pad, updated_at = now()
            where (context_key.inner_pad, context_key.outer_pad) is distinct from (excluded.inner_pad, excluded.outer_pad)`;
  const roleUrls = roleUrlsFor(options.ownerUrl, names, passwords);
  for (const kind of ROLE_KINDS) if (options.explicitRoleUrls?.[kind]) roleUrls[kind] = options.explicitRoleUrls[kind]!;
  return { roleUrls, roleNames: names, contextKey };
}

export async function runMigrations(options: MigrateOptions): Promise<DatabaseAccess> {
  const { ownerUrl, log = () => {} } = options;
  const names = resolveRoleNames(ownerUrl, options.explicitRoleUrls);
  await ensureDatabaseExists(ownerUrl);
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    // The job queue's schema and queues first (under the lock): sql/030_jobs.sql grants on its tables.
    await prepareJobQueue({ ownerUrl, log });
    log("applying drizzle migrations");
    await migrate(drizzle({ client: sql }), { migrationsFolder: join(ROOT, "drizzle") });

    const files = (await readdir(join(ROOT, "sql"))).filter((f) => f.endsWith(".sql")).sort();
    return await sql.begin(async (tx) => {
      for (const file of files) {
        log(`applying sql/${file}`);
        await tx.unsafe(withRoleNames(await Bun.file(join(ROOT, "sql", file)).text(), names));
      }
      return installAccess(tx, options, names);
    });
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await sql.end();
  }
}

/** The access of an already migrated database, without migrating (operator commands against a running server). */
export async function readDatabaseAccess(options: MigrateOptions): Promise<DatabaseAccess> {
  const names = resolveRoleNames(options.ownerUrl, options.explicitRoleUrls);
  const sql = postgres(options.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [ready] = await sql`select to_regclass('app_private.secrets') is not null as ready`;
    if (!ready?.ready) return await runMigrations(options);
    return await sql.begin((tx) => installAccess(tx, options, names));
  } finally {
    await sql.end();
  }
}

/** Drops a database and its login roles (scratch databases of tests and benchmarks). */
export async function dropDatabaseAndRoles(serverUrl: string, database: string): Promise<void> {
  const sql = postgres(maintenanceUrl(serverUrl), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${database.replaceAll('"', '""')}" with (force)`);
    for (const role of Object.values(roleNamesFor(database))) {
      await sql.unsafe(`drop role if exists "${role}"`);
    }
  } finally {
    await sql.end();
  }
}
