/**
 * Brings up whatever the environment does not provide: an embedded PostgreSQL
 * when DATABASE_URL is unset, the bundled Meilisearch when MEILI_URL is unset.
 * Redis is never started: without REDIS_URL the cache lives in memory.
 * `bun run start` and the test runner both use this.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runMigrations } from "../db/migrate.ts";
import type { ExplicitRoleUrls, RoleUrls } from "../db/roles.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { startMeilisearch } from "./meilisearch.ts";
import { freePort } from "./processes.ts";

export interface ServiceConfig {
  dataDir: string;
  databaseUrl?: string;
  explicitRoleUrls?: ExplicitRoleUrls;
  /** CONTEXT_SIGNING_KEY; without it the database's own key is used (src/db/migrate.ts). */
  contextKey?: string;
  meiliUrl?: string;
  meiliMasterKey?: string;
  /** Ports for embedded services; 0 picks free ones. */
  postgresPort?: number;
  meiliPort?: number;
  ephemeral?: boolean;
  log?: (message: string) => void;
  /** Messages for the person starting the services (e.g. where PostgreSQL's data had to move). */
  notify?: (message: string) => void;
}

export interface RunningServices {
  ownerUrl: string;
  roleUrls: RoleUrls;
  /** The key that signs each transaction's tenant context; the database holds its copy. */
  contextKey: string;
  meiliUrl: string;
  meiliMasterKey: string;
  started: string[];
  stop(): Promise<void>;
}

/** A secret kept in DATA_DIR so restarts agree on it (local defaults only). */
export function persistedSecret(dataDir: string, name: string): string {
  const file = join(resolve(dataDir), name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(resolve(dataDir), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function startServices(config: ServiceConfig): Promise<RunningServices> {
  const log = config.log ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  const started: string[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log(`stop failed: ${String(e)}`));
  };
  try {
    let ownerUrl = config.databaseUrl;
    if (!ownerUrl) {
      // postgresPort 0 or unset: a free port (another if that one is taken before PostgreSQL binds it).
      const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.postgresPort, database: "desibazaar", ephemeral: config.ephemeral, log, notify: config.notify });
      stops.push(pg.stop);
      started.push(`postgres:${pg.port}`);
      ownerUrl = pg.ownerUrl;
    }
    const access = await runMigrations({ ownerUrl, explicitRoleUrls: config.explicitRoleUrls, contextKey: config.contextKey, log });

    let meiliUrl = config.meiliUrl;
    let meiliMasterKey = config.meiliMasterKey ?? "";
    if (!meiliUrl) {
      const port = config.meiliPort || freePort();
      meiliMasterKey ||= persistedSecret(config.dataDir, "meili-master-key");
      log(`starting bundled Meilisearch on 127.0.0.1:${port}`);
      const meili = await startMeilisearch({ dataDir: config.dataDir, port, masterKey: meiliMasterKey, log });
      stops.push(meili.stop);
      started.push(`meilisearch:${port}`);
      meiliUrl = meili.url;
    }
    return { ownerUrl, roleUrls: access.roleUrls, contextKey: access.contextKey, meiliUrl, meiliMasterKey, started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
