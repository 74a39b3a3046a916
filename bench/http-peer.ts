/**
 * The peer of issue 8 (../shared/peer-bench): Express + tRPC + node-postgres on
 * Node, what a typical team would build instead, on the same PostgreSQL server
 * as our API. That folder is read-only: it is copied to .test-data/peer-bench,
 * where `npm ci` runs once per package-lock.
 *
 * Its setup.sh creates a database (named per run here, never the `peerbench`
 * someone else may be using) and the cluster-wide login role `peer_app`. stop()
 * drops the database, and the role only when this run created it.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { freePort, waitUntil } from "../src/infra/processes.ts";
import type { BenchEnv } from "./env.ts";
import { answersHealth } from "./http-api.ts";

const SOURCE = resolve(import.meta.dir, "../../shared/peer-bench");
const WORK_DIR = resolve(import.meta.dir, "../.test-data/peer-bench");
const ROLE = "peer_app";
const ROLE_PASSWORD = "peer_app"; // setup.sql's; it matters only on servers that do not trust loopback

export interface Peer {
  url: string;
  pid: number;
  /** pgbench's tps for the peer's transaction (no HTTP): the database's own ceiling on this machine. */
  pgbench(seconds: number): Promise<number>;
  stop(): Promise<void>;
}

export type PeerOrReason = { peer: Peer } | { skipped: string };

export async function startPeer(env: BenchEnv): Promise<PeerOrReason> {
  if (!existsSync(SOURCE)) return { skipped: `${SOURCE} is not on this machine` };
  const missing = ["node", "npm", "psql"].filter((tool) => !Bun.which(tool));
  if (missing.length) return { skipped: `${missing.join(", ")} not on PATH` };

  copyTree(SOURCE, WORK_DIR);
  const installed = await npmCiOnce(env.say);
  if (installed !== true) return { skipped: installed };

  const server = new URL(env.ownerUrl);
  const pg = { PGHOST: server.hostname, PGPORT: server.port || "5432", PGUSER: decodeURIComponent(server.username) || "postgres" };
  const ownerPassword = server.password ? { PGPASSWORD: decodeURIComponent(server.password) } : {};
  const database = `peerbench_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const owner = postgres(env.ownerUrl, { max: 1, onnotice: () => {} });
  const roleExisted = (await owner`select 1 from pg_roles where rolname = ${ROLE}`).length > 0;
  const dropAll = async () => {
    await owner`drop database if exists ${owner(database)} with (force)`.catch((e) => env.say(`could not drop ${database}: ${e}`));
    if (!roleExisted) await owner`drop role if exists ${owner(ROLE)}`.catch((e) => env.say(`could not drop role ${ROLE}: ${e}`));
    await owner.end();
  };

  env.say(`peer: loading ${database} (setup.sh)${roleExisted ? `; role ${ROLE} exists already and is left as it is` : ""}`);
  const setup = Bun.spawn(["bash", "setup.sh", database], { cwd: WORK_DIR, env: { ...process.env, ...pg, ...ownerPassword }, stdout: "pipe", stderr: "pipe" });
  const [setupOut, setupErr, setupCode] = await Promise.all([new Response(setup.stdout).text(), new Response(setup.stderr).text(), setup.exited]);
  if (setupCode !== 0) {
    await dropAll();
    return { skipped: `setup.sh failed (${setupCode}): ${setupErr.trim().split("\n").slice(-3).join(" / ")}` };
  }
  env.say(`peer: ${setupOut.trim()}`);

  const port = freePort();
  const asPeer = { ...process.env, ...pg, PGUSER: ROLE, PGPASSWORD: ROLE_PASSWORD, PGDATABASE: database };
  const child = Bun.spawn(["node", "server.mjs"], { cwd: WORK_DIR, env: { ...asPeer, PORT: String(port) }, stdout: "ignore", stderr: "inherit" });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    if (!(await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 5_000))) child.kill("SIGKILL");
    await child.exited;
    await dropAll();
  };
  if (!(await answersHealth(url, 15_000))) {
    await stop();
    return { skipped: `node server.mjs did not answer /health within 15 s` };
  }
  const pgbench = async (seconds: number) => {
    const args = ["pgbench", "-n", "-c", "8", "-j", "2", "-T", String(seconds), "-f", "pgbench/list.sql", "-U", ROLE, "-h", pg.PGHOST, "-p", pg.PGPORT, database];
    const run = Bun.spawn(args, { cwd: WORK_DIR, env: asPeer, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
    const tps = /tps = ([\d.]+)/.exec(out);
    if (code !== 0 || !tps) throw new Error(`pgbench failed (${code}): ${err.trim() || out.trim()}`);
    return Number(tps[1]);
  };
  return { peer: { url, pid: child.pid, pgbench, stop } };
}

/** Copies the peer's files (not node_modules), writable, so a later run can overwrite them. */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else {
      writeFileSync(target, readFileSync(source));
      chmodSync(target, statSync(source).mode & 0o111 ? 0o755 : 0o644);
    }
  }
}

/** `npm ci` in the work dir unless it already ran for this package-lock; true, or why it failed. */
async function npmCiOnce(say: (m: string) => void): Promise<true | string> {
  const stamp = join(WORK_DIR, "node_modules", ".installed-from-lock");
  const lock = String(Bun.hash(readFileSync(join(WORK_DIR, "package-lock.json"))));
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === lock) return true;
  say("peer: npm ci (once; kept in .test-data/peer-bench)");
  const npm = Bun.spawn(["npm", "ci", "--no-audit", "--no-fund"], { cwd: WORK_DIR, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => npm.kill("SIGKILL"), 180_000);
  const [err, code] = await Promise.all([new Response(npm.stderr).text(), npm.exited, new Response(npm.stdout).text()]);
  clearTimeout(timer);
  if (code !== 0) return `npm ci failed (${code}): ${err.trim().split("\n").slice(-3).join(" / ")}`;
  writeFileSync(stamp, lock);
  return true;
}
