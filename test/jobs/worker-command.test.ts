/**
 * `bun run worker` as an operator runs it: a child process, pointed by
 * DATABASE_URL at a scratch database of its own (migrated here, dropped
 * afterwards), so its cron schedules and whatever it runs stay out of the shared
 * test database. Without SMTP_URL it says e-mails go to the log; it runs a job
 * queued the way the app queues them (a monthly report, e-mailed to the owner,
 * so the e-mail lands in the log), and SIGTERM stops it with exit 0.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { dropDatabaseAndRoles, runMigrations } from "../../src/db/migrate.ts";
import { createDeps, type OwnedDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import { removeDataDir } from "../../src/infra/postgres-runtime.ts";
import { waitUntil } from "../../src/infra/processes.ts";
import { register } from "../../src/services/auth/register.ts";
import { jobStatus } from "../../src/services/jobs/status.ts";
import { provisionTenant } from "../../src/services/tenants/provision.ts";
import { unique } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";

const ROOT = resolve(import.meta.dir, "..", "..");
const dbName = `desibazaar_worker_${unique()}`;
const scratchUrl = Object.assign(new URL(ownerUrl), { pathname: `/${dbName}` }).toString();
// The worker's own DATA_DIR (file storage): a sweep it ran must not see the shared run's files.
const dataDir = join(ROOT, ".test-data", `worker-${unique()}`);

let deps: OwnedDeps;
let child: ReturnType<typeof Bun.spawn> | undefined;
let output = "";

beforeAll(async () => {
  const access = await runMigrations({ ownerUrl: scratchUrl });
  deps = createDeps({ roleUrls: access.roleUrls, contextKey: access.contextKey, pool: { max: 2 }, tokens: { secret: env.JWT_SECRET! }, baseDomain: "desibazaar.test" });
}, 60_000);

afterAll(async () => {
  // The whole process group: killing `bun run` alone would leave the worker it started running.
  if (child && child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {} // already gone
    await child.exited;
  }
  await deps?.close();
  await dropDatabaseAndRoles(ownerUrl, dbName);
  removeDataDir(dataDir);
});

/** The run's environment, pointed at the scratch database alone: no role URLs, key, Redis or SMTP of the shared run. */
function workerEnv(): Record<string, string> {
  const kept = Object.entries(process.env).filter(
    ([name, value]) => value !== undefined && !/^(DATABASE_|CONTEXT_SIGNING_KEY|REDIS_URL|CACHE_PREFIX|SMTP_URL|MEILI_|DATA_DIR)/.test(name),
  );
  // LOG_FILE is kept: the worker's lines join the run's log, which test/run.ts scans for secrets.
  return { ...Object.fromEntries(kept), DATABASE_URL: scratchUrl, DATA_DIR: dataDir };
}

function startWorker() {
  // A process group of its own, so clean-up can stop `bun run` and the worker under it together.
  const proc = Bun.spawn(["bun", "run", "worker"], { cwd: ROOT, env: workerEnv(), stdout: "pipe", stderr: "pipe", detached: true });
  const decoder = new TextDecoder();
  for (const stream of [proc.stdout, proc.stderr] as ReadableStream<Uint8Array>[]) {
    void (async () => {
      for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
    })();
  }
  return proc;
}

/** A business with an owner in the scratch database, as sign-up and provisioning make them. */
async function businessWithOwner(email: string): Promise<number> {
  const { userId } = await register(deps.scopes.asPlatform, { email, password: recordSecret(`pw-${crypto.randomUUID()}`), name: "Worker Owner" });
  const tenant = await deps.scopes.asNewTenant(userId, (s) =>
    provisionTenant(s, userId, { name: `Worker Shop ${unique()}`, industryType: "retail", subscriptionPlanId: "free", tenantTier: "standard", dataResidency: "in" }),
  );
  return tenant.businessId;
}

test("bun run worker: says where e-mail goes, runs a queued job, stops on SIGTERM with exit 0", async () => {
  const ownerEmail = `${unique("worker-owner")}@example.test`;
  const businessId = await businessWithOwner(ownerEmail);

  child = startWorker();
  expect(await waitUntil(() => output.includes("[worker] running "), 30_000)).toBe(true);
  expect(output).toContain("[worker] database: DATABASE_URL");
  expect(output).toContain("[worker] e-mail: SMTP_URL is not set: e-mails are written to the log, not sent");

  const jobId = await deps.scopes.asTenant(businessId, (s) => s.jobs.send("reports.monthly", { period: "2024-01" }));
  const finished = await waitUntil(async () => (await deps.scopes.asTenant(businessId, (s) => jobStatus(s, { id: jobId }))).state === "completed", 30_000, 200);
  expect(finished).toBe(true);

  // The report went to the owner through the log mailer: the line is in the run's log, attachment by name only.
  const mailLines = readFileSync(env.LOG_FILE!, "utf8")
    .split("\n")
    .filter((line) => line.includes(ownerEmail) && line.includes("e-mail not sent"));
  expect(mailLines).toHaveLength(1);
  expect(JSON.parse(mailLines[0]!).mail).toMatchObject({ to: { address: ownerEmail }, subject: expect.stringContaining("2024-01"), attachments: ["2024-01-bookings-and-orders.csv"] });

  child.kill("SIGTERM");
  expect(await child.exited).toBe(0);
  expect(output).toContain("[worker] SIGTERM: stopping");
}, 60_000);
