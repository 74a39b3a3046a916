/**
 * Running jobs: every attempt (first, retried, dead-lettered) runs as the
 * business the job belongs to, its queries see that business only, and its log
 * lines carry the tenant and the request id that queued it. A job that names no
 * tenant, or a type its queue may not run, fails without any handler running.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { env } from "../../src/env.ts";
import type { Worker } from "../../src/jobs/worker.ts";
import { withContext } from "../../src/tenancy/request-context.ts";
import { makeProduct, shop, unique } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { client } from "../setup/client.ts";
import { deleteJobs, drainTenantQueue, jobRow, owner, testWorker } from "./support/jobs.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(60_000);

let A: Awaited<ReturnType<typeof shop>>;
let B: Awaited<ReturnType<typeof shop>>;
let worker: Worker;
const stray: string[] = [];

beforeAll(async () => {
  [A, B] = await Promise.all([shop(), shop()]);
  await Promise.all([makeProduct(A.owner, A.tenant), makeProduct(B.owner, B.tenant)]);
  worker = await testWorker();
  await drainTenantQueue();
});
afterAll(async () => {
  await worker.stop();
  await deleteJobs([A.tenant.businessId, B.tenant.businessId], stray);
});

/** Effect keys a business recorded, read as that business. */
const effects = (businessId: number, prefix: string) =>
  owner<{ key: string }[]>`select effect_key as key from job_effects where business_id = ${businessId} and effect_key like ${`${prefix}%`} order by id`.then((r) =>
    r.map((x) => x.key),
  );
const sees = (businessId: number) => `tenant=${businessId};products=${businessId};businesses=${businessId};foreign=0`;
const finalState = (id: string, states = ["completed", "failed"]) => waitFor(`job ${id} to finish`, async () => ((s) => s && states.includes(s.state) && s)(await jobRow(id)));

describe("retried and dead-lettered jobs run under their own business", () => {
  test("a job failing twice is retried; every attempt ran as its business and saw only its rows", async () => {
    const run = unique("retry-");
    const requestIds = { a: `req-${crypto.randomUUID()}`, b: `req-${crypto.randomUUID()}` };
    const idA = await withContext({ requestId: requestIds.a }, () => scopes.asTenant(A.tenant.businessId, (s) => s.jobs.send("test.probe", { run, failTimes: 2 })));
    const idB = await withContext({ requestId: requestIds.b }, () => scopes.asTenant(B.tenant.businessId, (s) => s.jobs.send("test.probe", { run, failTimes: 2 })));
    expect((await finalState(idA)).state).toBe("completed");
    expect((await finalState(idB)).state).toBe("completed");
    expect(await effects(A.tenant.businessId, `probe:${run}`)).toEqual([`probe:${run}:3:${sees(A.tenant.businessId)}`]);
    expect(await effects(B.tenant.businessId, `probe:${run}`)).toEqual([`probe:${run}:3:${sees(B.tenant.businessId)}`]);

    // The two failed attempts rolled back their rows; their log lines say who they ran as, and for which request.
    const lines = readFileSync(env.LOG_FILE!, "utf8")
      .split("\n")
      .filter((l) => l.includes(`"probe":"${run}"`))
      .map((l) => JSON.parse(l) as { tenantId: number; requestId: string; seen: string; jobId: string; attempt: number });
    expect(lines.filter((l) => l.jobId === idA).map((l) => [l.attempt, l.tenantId, l.requestId, l.seen])).toEqual(
      [1, 2, 3].map((n) => [n, A.tenant.businessId, requestIds.a, sees(A.tenant.businessId)]),
    );
    expect(lines.filter((l) => l.jobId === idB).map((l) => [l.attempt, l.tenantId, l.requestId, l.seen])).toEqual(
      [1, 2, 3].map((n) => [n, B.tenant.businessId, requestIds.b, sees(B.tenant.businessId)]),
    );
  });

  test("a job whose retries run out is dead-lettered; the dead-letter run is its business's and sees only its rows", async () => {
    const run = unique("dead-");
    const idA = await scopes.asTenant(A.tenant.businessId, (s) => s.jobs.send("test.probe", { run, failTimes: 99 }));
    const idB = await scopes.asTenant(B.tenant.businessId, (s) => s.jobs.send("test.probe", { run, failTimes: 99 }));
    await waitFor("both dead-letter runs", async () => (await effects(A.tenant.businessId, `dead:${run}`)).length && (await effects(B.tenant.businessId, `dead:${run}`)).length);
    expect(await effects(A.tenant.businessId, `dead:${run}`)).toEqual([`dead:${run}:${sees(A.tenant.businessId)}`]);
    expect(await effects(B.tenant.businessId, `dead:${run}`)).toEqual([`dead:${run}:${sees(B.tenant.businessId)}`]);
    expect(await effects(A.tenant.businessId, `probe:${run}`)).toEqual([]);

    // The business sees the original as failed after 3 attempts (jobs.status), and its dead-letter copy in its list.
    const api = client({ token: A.owner.token, tenant: A.tenant.tenantKey });
    expect(await api.jobs.status.query({ id: idA })).toMatchObject({ id: idA, type: "test.probe", state: "failed", attempts: 3 });
    const [copy] = await owner<{ id: string; state: string }[]>`select id::text, state::text from pgboss.job where name = 'tenant-jobs.dead' and source_id = ${idA}::uuid`;
    expect(copy).toBeDefined();
    expect((await api.jobs.list.query({ limit: 100 })).items.map((j) => j.id)).toEqual(expect.arrayContaining([idA, copy!.id]));
    void idB;
  });
});

describe("a job without a tenant is refused when it runs", () => {
  /** Queued behind the API's back, as the queue's own role: the only way such a job can exist. */
  const queueRaw = async (data: object) => {
    const id = (await worker.boss.send("tenant-jobs", data, { retryLimit: 3 }))!;
    stray.push(id);
    return id;
  };

  for (const [label, data] of [
    ["no tenant", (run: string) => ({ tenantId: null, type: "test.probe", data: { run }, requestId: "raw" })],
    ["a platform type in the tenant queue", (run: string) => ({ tenantId: A.tenant.businessId, type: "platform.orphan-file-sweep", data: { run }, requestId: "raw" })],
    ["no envelope at all", (run: string) => ({ run })],
  ] as const) {
    test(`${label}: failed at once (no retries), nothing ran, and its dead-letter copy is refused too`, async () => {
      const run = unique("refused-");
      const id = await queueRaw(data(run));
      const row = await finalState(id, ["failed"]);
      expect(row.retry_count).toBe(0);
      const [output] = await owner<{ output: { refused?: boolean } }[]>`select output from pgboss.job where id = ${id}::uuid`;
      expect(output!.output.refused).toBe(true);
      const copy = await waitFor("the dead-letter copy to fail", () =>
        owner<{ id: string }[]>`select id::text from pgboss.job where source_id = ${id}::uuid and state = 'failed'`.then((r) => r[0]),
      );
      stray.push(copy.id);
      expect(await owner`select 1 from job_effects where effect_key like ${`%${run}%`}`).toHaveLength(0);
    });
  }
});
