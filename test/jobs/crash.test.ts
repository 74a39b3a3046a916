/**
 * A worker process killed with SIGKILL in the middle of a job: the job is not
 * lost (pg-boss expires the dead run and retries it) and its effect happens
 * exactly once, whether the effect is an e-mail or a row.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ParsedMail } from "mailparser";
import { env } from "../../src/env.ts";
import type { Worker } from "../../src/jobs/worker.ts";
import { createMailer } from "../../src/lib/mailer.ts";
import { makeBooking, makeService, quickUser, shop, unique } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { startSmtp, type TestSmtp } from "./support/smtp.ts";
import { deleteJobs, drainTenantQueue, jobRow, jobsOf, owner, testRuntime, testWorker } from "./support/jobs.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(90_000);

let A: Awaited<ReturnType<typeof shop>>;
let smtp: TestSmtp;
/** Set while the SMTP server holds the first delivery attempt; calling it lets the server refuse it. */
let releaseHeld: (() => void) | undefined;
const workers: Worker[] = [];
const children: ReturnType<typeof Bun.spawn>[] = [];

beforeAll(async () => {
  smtp = await startSmtp({
    beforeAccept: (mail: ParsedMail) =>
      mail.text?.includes("HOLD") && !releaseHeld ? new Promise((resolve) => (releaseHeld = () => resolve("refuse"))) : Promise.resolve("accept"),
  });
  A = await shop();
  // Jobs other test files left behind would keep the child busy; run them first.
  const drainer = await testWorker();
  await drainTenantQueue();
  await drainer.stop();
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.stop()));
  await smtp.close();
  await deleteJobs([A.tenant.businessId]);
});

async function spawnWorker() {
  const child = Bun.spawn(["bun", join(import.meta.dir, "support", "worker-process.ts")], {
    env: { ...process.env, TEST_SMTP_URL: smtp.url },
    stdout: "pipe",
    // Not inherited: a child that outlived a failed test would hold the runner's pipe open. Its log goes to LOG_FILE.
    stderr: "ignore",
  });
  children.push(child);
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the worker process exited before it was ready: ${out}`);
    out += new TextDecoder().decode(value);
  }
  return child;
}

/** After the kill, a fresh worker (in this process) finds the dead run once it expires, and retries it. */
async function recoverWith() {
  const worker = await testWorker({ runtime: testRuntime({ mailer: createMailer(smtp.url) }) });
  workers.push(worker);
}

const logLines = (needle: string) => readFileSync(env.LOG_FILE!, "utf8").split("\n").filter((l) => l.includes(needle));

describe("a worker killed with SIGKILL mid-job", () => {
  test("the row effect: the job runs again and the row exists once", async () => {
    const child = await spawnWorker();
    const run = unique("crash-row-");
    const id = await scopes.asTenant(A.tenant.businessId, (s) => s.jobs.send("test.slow-effect", { run, holdMs: 60_000 }));
    await waitFor("the child to be holding the job", async () => logLines(`"probe":"${run}"`).length > 0);
    child.kill("SIGKILL");
    await child.exited;
    expect((await jobRow(id))!.state).toBe("active"); // the dead run still holds it

    await recoverWith();
    const done = await waitFor("the retried job to complete", async () => ((r) => r?.state === "completed" && r)(await jobRow(id)));
    expect(done.retry_count).toBe(1);
    const rows = await owner`select job_id from job_effects where business_id = ${A.tenant.businessId} and effect_key = ${`row:${run}`}`;
    expect(rows).toHaveLength(1);
  });

  test("the e-mail effect: killed while the SMTP server had not yet accepted it, the customer still gets exactly one", async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const customer = await quickUser("Rohan HOLD Das");
    const service = await makeService(A.owner, A.tenant, { name: "HOLD consultation" });
    const booking = await makeBooking(customer, A.tenant, { serviceId: service.id });
    const job = (await jobsOf(A.tenant.businessId)).find((j) => j.data.data.bookingId === booking.id)!;
    // This job is the production e-mail job; only its clock is shortened so the test need not wait two minutes.
    await owner`update pgboss.job set expire_seconds = 5, retry_delay = 1, retry_backoff = false where id = ${job.id}::uuid`;

    const child = await spawnWorker();
    await waitFor("the first delivery attempt to reach the SMTP server", async () => !!releaseHeld);
    child.kill("SIGKILL");
    await child.exited;
    releaseHeld!();

    await recoverWith();
    await waitFor("the retried job to complete", async () => (await jobRow(job.id))?.state === "completed");
    const toCustomer = smtp.delivered.filter((m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.value[0]!.address === customer.email);
    expect(toCustomer).toHaveLength(1);
    expect(smtp.received()).toBeGreaterThanOrEqual(2); // the first attempt's data did arrive, and was never accepted
    expect((await jobRow(job.id))!.retry_count).toBe(1);
  });
});
