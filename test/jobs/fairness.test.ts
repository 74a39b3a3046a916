/**
 * Fairness: business A queues 10,000 jobs, then business B queues 10; all of
 * B's finish within 5 s (the bound; the figure is printed), and they
 * finish while most of A's flood is still waiting, which a first-come queue
 * would never do. bench/jobs.ts measures the same thing with numbers to compare.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Worker } from "../../src/jobs/worker.ts";
import { shop } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { deleteJobs, drainTenantQueue, owner, testWorker } from "./support/jobs.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(120_000);

const FLOOD = 10_000;
let A: Awaited<ReturnType<typeof shop>>;
let B: Awaited<ReturnType<typeof shop>>;
let worker: Worker;

beforeAll(async () => {
  [A, B] = await Promise.all([shop(), shop()]);
  worker = await testWorker();
  await drainTenantQueue();
});
afterAll(async () => {
  await worker.stop();
  await deleteJobs([A.tenant.businessId, B.tenant.businessId]);
});

const countIn = async (businessId: number, states: string[]) =>
  (await owner<{ n: number }[]>`select count(*)::int as n from pgboss.job where group_id = ${String(businessId)} and state::text = any(${states})`)[0]!.n;

test(`B's 10 jobs finish within 5 s of being queued behind A's ${FLOOD.toLocaleString("en")}`, async () => {
  const queued = Date.now();
  await scopes.asTenant(A.tenant.businessId, (s) => s.jobs.sendMany("test.noop", Array.from({ length: FLOOD }, (_, n) => ({ n }))));
  const floodMs = Date.now() - queued;

  const start = Date.now();
  await scopes.asTenant(B.tenant.businessId, (s) => s.jobs.sendMany("test.noop", Array.from({ length: 10 }, (_, n) => ({ n }))));
  const { aWaiting } = await waitFor(
    "B's 10 jobs",
    async () => (await countIn(B.tenant.businessId, ["completed"])) === 10 && { aWaiting: await countIn(A.tenant.businessId, ["created", "retry"]) },
    60_000,
  );
  const waitedMs = Date.now() - start;

  console.log(
    `[fairness] A queued ${FLOOD.toLocaleString("en")} jobs in ${(floodMs / 1000).toFixed(2)} s; B's 10 jobs all finished ${(waitedMs / 1000).toFixed(2)} s after B queued them, ` +
      `with ${aWaiting.toLocaleString("en")} of A's still waiting`,
  );
  expect(waitedMs).toBeLessThan(5000);
  expect(aWaiting).toBeGreaterThan(FLOOD / 2);
});
