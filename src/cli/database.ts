/**
 * The database an operator command works on: DATABASE_URL (and the role URLs,
 * given or derived) when set; otherwise the embedded PostgreSQL under DATA_DIR.
 * If `bun run start` is running, its PostgreSQL is reused (found through
 * postmaster.pid) instead of being stopped; else one is started, migrated, and
 * stopped again when the command ends.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readDatabaseAccess, runMigrations, type DatabaseAccess, type MigrateOptions } from "../db/migrate.ts";
import { createDeps, type OwnedDeps } from "../deps.ts";
import { env, roleUrlsFromEnv } from "../env.ts";
import { EMBEDDED_PASSWORD, startEmbeddedPostgres } from "../infra/embedded-postgres.ts";
import { runningMeilisearch } from "../infra/meilisearch.ts";
import { livePid } from "../infra/processes.ts";

export interface Database {
  deps: OwnedDeps;
  /** What connecting needs: each login role's URL (the job queue's included) and the context key. */
  access: DatabaseAccess;
  where: string;
  close(): Promise<void>;
}

const EMBEDDED_DATABASE = "desibazaar";

/** The port of a PostgreSQL already serving DATA_DIR (postmaster.pid: line 1 pid, line 4 port). */
function runningEmbeddedPort(dataDir: string): number | null {
  const pidFile = join(resolve(dataDir), "postgres", "postmaster.pid");
  if (!livePid(pidFile)) return null;
  const port = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[3] ?? "", 10);
  return Number.isInteger(port) ? port : null;
}

export interface OwnerDatabase {
  ownerUrl: string;
  /** What migrating this database needs: the owner URL, the role URLs and context key the environment gives. */
  migrateOptions: MigrateOptions;
  where: string;
  /** True when this command started PostgreSQL itself (and so must stop it). */
  startedHere: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL, else the running embedded PostgreSQL under DATA_DIR, else one started for this command. */
export async function openOwnerDatabase(): Promise<OwnerDatabase> {
  let ownerUrl = env.DATABASE_URL;
  let where = "DATABASE_URL";
  let stop = async () => {};
  if (!ownerUrl) {
    const port = runningEmbeddedPort(env.DATA_DIR);
    if (port) {
      ownerUrl = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
      where = `the running embedded PostgreSQL under ${env.DATA_DIR}`;
    } else {
      const pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, database: EMBEDDED_DATABASE, notify: (m) => console.error(m) });
      stop = pg.stop;
      ownerUrl = pg.ownerUrl;
      where = `embedded PostgreSQL under ${env.DATA_DIR}`;
    }
  }
  const migrateOptions = { ownerUrl, explicitRoleUrls: roleUrlsFromEnv(env), contextKey: env.CONTEXT_SIGNING_KEY };
  return { ownerUrl, migrateOptions, where, startedHere: where.startsWith("embedded"), stop };
}

/** Where search is for a command: MEILI_URL (with MEILI_MASTER_KEY), else the running bundled server and its key kept in DATA_DIR. */
function searchLocation(): { meiliUrl?: string; meiliMasterKey?: string } {
  if (env.MEILI_URL) return { meiliUrl: env.MEILI_URL, meiliMasterKey: env.MEILI_MASTER_KEY };
  const url = runningMeilisearch(env.DATA_DIR);
  const keyFile = join(resolve(env.DATA_DIR), "meili-master-key");
  if (!url || !existsSync(keyFile)) return {};
  return { meiliUrl: url, meiliMasterKey: env.MEILI_MASTER_KEY ?? readFileSync(keyFile, "utf8").trim() };
}

export async function openDatabase(options: { poolMax?: number } = {}): Promise<Database> {
  const owner = await openOwnerDatabase();
  let access: DatabaseAccess;
  try {
    // A data directory this command brought up may never have been migrated (no `bun run start` yet).
    access = owner.startedHere ? await runMigrations(owner.migrateOptions) : await readDatabaseAccess(owner.migrateOptions);
  } catch (error) {
    await owner.stop();
    throw error;
  }
  // The CLI signs no tokens; the issuer only satisfies createDeps.
  // The same cache as the API's, so a purge or a rollover here invalidates what the API processes cached.
  const deps = createDeps({
    roleUrls: access.roleUrls,
    contextKey: access.contextKey,
    pool: { max: options.poolMax ?? 4 },
    tokens: { secret: crypto.randomUUID() + crypto.randomUUID() },
    baseDomain: env.BASE_DOMAIN,
    redisUrl: env.REDIS_URL,
    cachePrefix: env.CACHE_PREFIX,
    // Search (reindex, the worker's indexing jobs): MEILI_URL, else the bundled Meilisearch `bun run start` runs under DATA_DIR.
    ...searchLocation(),
  });
  return {
    deps,
    access,
    where: owner.where,
    async close() {
      await deps.close();
      await owner.stop();
    },
  };
}
