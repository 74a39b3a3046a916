/**
 * `bun run start` end to end, as a newcomer runs it: a real child process, its
 * own embedded PostgreSQL and Meilisearch under a fresh DATA_DIR. Also: a start
 * after the parent was SIGKILLed (stale postmaster.pid, orphaned children), and
 * a start against a new database on an existing server (DATABASE_URL).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dropDatabaseAndRoles } from "../../src/db/migrate.ts";
import { env } from "../../src/env.ts";
import { isAlive, waitUntil } from "../../src/infra/processes.ts";
import { recordSecret } from "../setup/secrets.ts";
import { baseEnv, cleanUpStarted, ROOT, start } from "./support.ts";

const dataDirs: string[] = [];

function newDataDir(): string {
  const dir = join(ROOT, ".test-data", `start-${crypto.randomUUID().slice(0, 8)}`);
  dataDirs.push(dir);
  return dir;
}

const pidOf = (file: string) => (existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) : null);

function loginResponse(port: number, email: string, password: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email, password } }),
  });
}

const login = async (port: number, email: string, password: string) => (await loginResponse(port, email, password)).status;

async function accessToken(port: number, email: string, password: string): Promise<string> {
  const res = await loginResponse(port, email, password);
  const token = ((await res.json()) as { result: { data: { json: { accessToken: string } } } }).result.data.json.accessToken;
  return recordSecret(token);
}

/** The demo business's products, as a newcomer would list them right after the first start. */
async function demoProducts(port: number, token: string): Promise<{ id: number; name: string }[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 10 } }));
  const list = await fetch(`http://127.0.0.1:${port}/trpc/products.list?input=${input}`, {
    headers: { authorization: `Bearer ${token}`, "x-tenant-id": "demo-salon" },
  });
  return ((await list.json()) as { result: { data: { json: { items: { id: number; name: string }[] } } } }).result.data.json.items;
}

/** An order from the demo business, placed as a customer: its confirmation e-mail is a background job. */
async function orderFromDemo(port: number, token: string, productId: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/trpc/customer.orders.create`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ json: { tenantRef: "demo-salon", items: [{ productId, quantity: 1 }] } }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { json: { id: number } } } }).result.data.json.id;
}

/** Databases a test had `bun run start` create on the test run's server: dropped with their login roles afterwards. */
const databases: string[] = [];

afterAll(async () => {
  await cleanUpStarted(dataDirs);
  for (const database of databases) await dropDatabaseAndRoles(env.DATABASE_URL!, database);
}, 60_000);

describe("bun run start", () => {
  test("serves /health with no environment, survives a SIGKILLed parent, and stops its children on SIGTERM", async () => {
    const dataDir = newDataDir();
    // LOG_LEVEL=info: with no SMTP_URL, e-mails are written to the log, and this test reads them there.
    const first = await start({ DATA_DIR: dataDir, LOG_LEVEL: "info" });
    const health = await (await fetch(`http://127.0.0.1:${first.port}/health`)).json();
    expect(health).toMatchObject({ status: "ok", db: "up", cache: "up", search: "up", detail: { cache: { driver: "memory" } } });

    const demo = /demo login \(shown once\): (\S+) \/ (\S+)/.exec(first.output());
    expect(demo).not.toBeNull();
    const [, email, password] = demo!;
    recordSecret(password!);
    expect(await login(first.port, email!, password!)).toBe(200);
    const token = await accessToken(first.port, email!, password!);
    const products = await demoProducts(first.port, token);
    expect(products.length).toBeGreaterThanOrEqual(3);

    // The job worker runs inside `bun run start`: an order's confirmation e-mail is sent (here: logged) by it.
    expect(first.output()).toContain("background jobs: a worker runs in this process");
    expect(first.output()).toContain("SMTP_URL is not set");
    const orderId = await orderFromDemo(first.port, token, products[0]!.id);
    const mailed = () => first.output().split("\n").some((line) => line.includes("e-mail not sent: SMTP_URL is not set") && line.includes(`#${orderId}`));
    expect(await waitUntil(mailed, 20_000, 200)).toBe(true);

    // SIGKILL leaves PostgreSQL and Meilisearch running with their pid files.
    const pgPid = pidOf(join(dataDir, "postgres", "postmaster.pid"));
    const meiliPid = pidOf(join(dataDir, "meilisearch.pid"));
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    expect(pgPid && isAlive(pgPid)).toBeTruthy();

    const second = await start({ DATA_DIR: dataDir });
    expect(second.output()).not.toContain("demo login"); // first run only
    expect(await login(second.port, email!, password!)).toBe(200); // same data directory reused
    expect(isAlive(pgPid!)).toBe(false);
    expect(isAlive(meiliPid!)).toBe(false);

    const newPgPid = pidOf(join(dataDir, "postgres", "postmaster.pid"));
    const newMeiliPid = pidOf(join(dataDir, "meilisearch.pid"));
    second.proc.kill("SIGTERM");
    expect(await second.proc.exited).toBe(0);
    expect(await waitUntil(() => !isAlive(newPgPid!) && !isAlive(newMeiliPid!), 10_000)).toBe(true);
  }, 120_000);

  test("serves /health with DATABASE_URL naming a database that does not exist yet", async () => {
    const server = new URL(env.DATABASE_URL!);
    const database = `start_${crypto.randomUUID().slice(0, 8).replace(/-/g, "")}`;
    databases.push(database);
    server.pathname = `/${database}`;
    const started = await start({ DATA_DIR: newDataDir(), DATABASE_URL: server.toString(), MEILI_URL: env.MEILI_URL!, MEILI_MASTER_KEY: env.MEILI_MASTER_KEY!, MEILI_INDEX_PREFIX: `${env.MEILI_INDEX_PREFIX}-start` });
    const health = (await (await fetch(`http://127.0.0.1:${started.port}/health`)).json()) as { db: string };
    expect(health.db).toBe("up");
    expect(started.output()).not.toContain("started postgres");
    started.proc.kill("SIGTERM");
    expect(await started.proc.exited).toBe(0);
  }, 90_000);

  test("a bad variable stops start-up with a message naming it", async () => {
    const proc = Bun.spawn(["bun", "src/index.ts"], { cwd: ROOT, env: baseEnv({ PORT: "not-a-port", DATA_DIR: newDataDir() }), stdout: "pipe", stderr: "pipe" });
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect(code).not.toBe(0);
    expect(stderr).toContain("PORT");
  }, 30_000);
});
