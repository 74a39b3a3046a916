/**
 * One migrate step for start-up, tests and `bun run db:migrate`: create the
 * database if it is missing, apply drizzle's generated migrations, then the
 * hand-written sql/ files in order (roles, functions, RLS, grants, reference
 * data), then give the login roles their passwords. Every step is idempotent,
 * and an advisory lock keeps two starting processes from interleaving.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { prepareJobQueue } from "../jobs/install.ts";
import { jobsRoleUrl } from "../jobs/role.ts";
import { DB_ROLES, type RoleUrls } from "./roles.ts";

const ROOT = join(import.meta.dir, "..", "..");
const MIGRATION_LOCK = 7_401_220_001;

export interface MigrateOptions {
  ownerUrl: string;
  roleUrls: RoleUrls;
  /** The job queue's role (DATABASE_JOBS_URL); derived from the owner URL when absent. */
  jobsUrl?: string;
  log?: (message: string) => void;
}

export async function ensureDatabaseExists(ownerUrl: string): Promise<void> {
  const url = new URL(ownerUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!database) return;
  url.pathname = "/postgres";
  const maintenance = postgres(url.toString(), { max: 1, onnotice: () => {} });
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

export async function runMigrations({ ownerUrl, roleUrls, jobsUrl, log = () => {} }: MigrateOptions): Promise<void> {
  await ensureDatabaseExists(ownerUrl);
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    // The job queue's schema first (under the lock: its role and queues too): sql/030_jobs.sql grants on its tables.
    await prepareJobQueue({ ownerUrl, jobsUrl: jobsUrl ?? jobsRoleUrl(ownerUrl), log });
    log("applying drizzle migrations");
    await migrate(drizzle({ client: sql }), { migrationsFolder: join(ROOT, "drizzle") });

    const files = (await readdir(join(ROOT, "sql"))).filter((f) => f.endsWith(".sql")).sort();
    await sql.begin(async (tx) => {
      for (const file of files) {
        log(`applying sql/${file}`);
        await tx.unsafe(await Bun.file(join(ROOT, "sql", file)).text());
      }
      for (const kind of Object.keys(DB_ROLES) as (keyof typeof DB_ROLES)[]) {
        const password = decodeURIComponent(new URL(roleUrls[kind]).password);
        if (password) await tx.unsafe(`alter role ${DB_ROLES[kind]} password '${password.replaceAll("'", "''")}'`);
      }
    });
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await sql.end();
  }
}
