/**
 * Background jobs, end to end (queued in a tenant transaction → fetched → run
 * in asTenant → completed), with a no-op handler so the queue itself is measured:
 *
 *   - throughput: 5,000 jobs from 20 businesses; then 2,000 from one business
 *     (its per-business cap, JOB_TENANT_CONCURRENCY, bounds it);
 *   - fairness: A queues 10,000 jobs, then B queues 10: how long B waits;
 *   - the same with a 2,000-job flood, fair order and cap against plain
 *     first-come order (priority 0 for all, no cap), side by side.
 *
 * One worker in this process with the defaults (8 slots, 4 per business).
 */
import postgres from "postgres";
import { z } from "zod";
import { createDeps } from "../src/deps.ts";
import { jobCatalog } from "../src/jobs/catalog.ts";
import { defineTenantJob } from "../src/jobs/definition.ts";
import { startWorker } from "../src/jobs/worker.ts";
import { createMailer } from "../src/lib/mailer.ts";
import { register } from "../src/services/auth/register.ts";
import { provisionTenant } from "../src/services/tenants/provision.ts";
import type { BenchEnv } from "./env.ts";
import { int, ratio } from "./stats.ts";

jobCatalog.register(defineTenantJob({ type: "bench.noop", data: z.object({ n: z.number().int() }), async run() {} }));

type Sql = postgres.Sql;

async function waitUntilDone(owner: Sql, businessIds: number[], count: number): Promise<void> {
  const until = Date.now() + 180_000;
  for (;;) {
    if (Date.now() > until) throw new Error(`jobs bench: ${count} jobs of ${businessIds.length} business(es) not done within 180 s`);
    const [row] = await owner<{ n: number }[]>`select count(*)::int as n from pgboss.job where group_id = any(${businessIds.map(String)}) and state = 'completed'`;
    if (row!.n >= count) return;
    await Bun.sleep(10);
  }
}

async function reset(owner: Sql) {
  await owner`delete from pgboss.job where name = 'tenant-jobs'`;
  await owner`vacuum analyze pgboss.job_common`;
}

export async function benchJobs(env: BenchEnv): Promise<string[]> {
  const { say } = env;
  const deps = createDeps({ roleUrls: env.roleUrls, contextKey: env.contextKey, pool: { max: 10 }, tokens: { secret: crypto.randomUUID() }, baseDomain: "desibazaar.test" });
  const owner = postgres(env.ownerUrl, { max: 2, onnotice: () => {} });
  const runtime = { mailer: createMailer(undefined), mailFrom: "bench@desibazaar.test", orderHoldMinutes: 30 };
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  const work = async (tenantCap?: number) => {
    await worker?.stop();
    worker = await startWorker({ jobsUrl: env.roleUrls.jobs, scopes: deps.scopes, runtime, schedule: false, tenantCap });
  };
  const send = (businessId: number, count: number) =>
    deps.scopes.asTenant(businessId, (s) => s.jobs.sendMany("bench.noop", Array.from({ length: count }, (_, n) => ({ n }))));
  try {
    const { userId } = await register(deps.scopes.asPlatform, { email: `bench-jobs-${crypto.randomUUID()}@example.test`, password: crypto.randomUUID(), name: "Bench" });
    const businesses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const b = await deps.scopes.asNewTenant(userId, (s) =>
        provisionTenant(s, userId, { name: `Jobs Bench ${i}`, industryType: "retail", subscriptionPlanId: "free", tenantTier: "standard", dataResidency: "in" }, { policy: { trialPlanId: "standard", maxBusinessesPerUser: 100 } }),
      );
      businesses.push(b.businessId);
    }
    const [A, B, ...many] = businesses as [number, number, ...number[]];
    const lines: string[] = [];

    await work();
    await send(A, 200).then(() => waitUntilDone(owner, [A], 200)); // warm-up
    await reset(owner);

    // Throughput, many businesses.
    let t0 = performance.now();
    await Promise.all(many.map((b) => send(b, 250)));
    await waitUntilDone(owner, many, 250 * many.length);
    const manyRate = (250 * many.length) / ((performance.now() - t0) / 1000);
    say(`throughput: ${int(250 * many.length)} no-op jobs from ${many.length} businesses, queue to done: ${int(manyRate)} jobs/s`);
    await reset(owner);

    // Throughput, one business (its cap applies).
    t0 = performance.now();
    await send(A, 2000);
    await waitUntilDone(owner, [A], 2000);
    const oneRate = 2000 / ((performance.now() - t0) / 1000);
    say(`throughput: 2,000 no-op jobs from one business (at most 4 running): ${int(oneRate)} jobs/s`);
    lines.push(`jobs, no-op, queue to done: ${int(manyRate)} jobs/s from 20 businesses, ${int(oneRate)} jobs/s from one (its cap of 4 running)`);
    await reset(owner);

    // Fairness under the flood.
    await send(A, 10_000);
    t0 = performance.now();
    await send(B, 10);
    await waitUntilDone(owner, [B], 10);
    const fairWait = (performance.now() - t0) / 1000;
    say(`fairness: B's 10 jobs done ${fairWait.toFixed(2)} s after B queued them behind A's 10,000`);
    lines.push(`jobs, fairness: B's 10 jobs done ${fairWait.toFixed(2)} s after queueing behind A's 10,000 (bound: 5 s)`);
    await reset(owner);

    // Fair against first-come, 2,000-job flood.
    const flood = 2000;
    await send(A, flood);
    t0 = performance.now();
    await send(B, 10);
    await waitUntilDone(owner, [B], 10);
    const fair2k = (performance.now() - t0) / 1000;
    await reset(owner);

    await work(64); // no cap: 64 is above the worker's 8 slots
    const envelope = (tenantId: number, n: number) => JSON.stringify({ tenantId, type: "bench.noop", data: { n }, requestId: "bench" });
    await owner`insert into pgboss.job_common (name, data, group_id, priority)
                select 'tenant-jobs', ${envelope(A, 0)}::text::jsonb, ${String(A)}, 0 from generate_series(1, ${flood}::int)`;
    t0 = performance.now();
    await owner`insert into pgboss.job_common (name, data, group_id, priority)
                select 'tenant-jobs', ${envelope(B, 0)}::text::jsonb, ${String(B)}, 0 from generate_series(1, 10)`;
    await waitUntilDone(owner, [B], 10);
    const fifo2k = (performance.now() - t0) / 1000;
    say(`fairness, ${int(flood)}-job flood: B waits ${fair2k.toFixed(2)} s with fair order and caps, ${fifo2k.toFixed(2)} s first-come (${ratio(fifo2k / fair2k)})`);
    lines.push(`jobs, B's wait behind a ${int(flood)}-job flood: ${fair2k.toFixed(2)} s fair vs ${fifo2k.toFixed(2)} s first-come (${ratio(fifo2k / fair2k)} longer)`);
    await reset(owner);
    return lines;
  } finally {
    await worker?.stop();
    runtime.mailer.close();
    await Promise.all([deps.close(), owner.end({ timeout: 5 })]);
  }
}
