/**
 * Platform-wide jobs (named platform.*, run on the super-admin scope) and their
 * schedules: subscription rollover and trial expiry, the purge of businesses
 * closed for more than 30 days, and the monthly reports' fan-out to businesses.
 * The jobs are run here the way the worker runs them (runJob), without waiting
 * for their cron time.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { jobCatalog } from "../../src/jobs/catalog.ts";
import { PLATFORM_QUEUE } from "../../src/jobs/queues.ts";
import { previousPeriod } from "../../src/services/reports/monthly.ts";
import { createTenant, createUser, setTenantStatus, type TestTenant } from "../setup/fixtures.ts";
import { setSubscription, subscriptionRow } from "../subscriptions/support.ts";
import { deleteJobs, owner, runPlatform, testRuntime, testWorker } from "./support/jobs.ts";

setDefaultTimeout(60_000);

const DAY = 86_400_000;
let tenants: TestTenant[] = [];
beforeAll(async () => {
  const user = await createUser();
  tenants = await Promise.all([createTenant(user), createTenant(user), createTenant(user), createTenant(user)]);
});
afterAll(() => deleteJobs(tenants.map((t) => t.businessId)));

describe("scheduled platform jobs", () => {
  test("platform.rollover ends a trial that ran out: the business moves to the free plan", async () => {
    const [t] = tenants;
    const now = Date.now();
    await setSubscription(owner, t!.businessId, { planId: "standard", status: "trialing", start: new Date(now - 200 * DAY), end: new Date(now - DAY), trialEndsAt: new Date(now - DAY) });
    await runPlatform("platform.rollover");
    expect(await subscriptionRow(owner, t!.businessId)).toMatchObject({ status: "active", plan_id: "free" });
  });

  test("platform.purge-closed purges a business closed 31 days ago and keeps one closed 2 days ago", async () => {
    const [, old, recent] = tenants;
    await setTenantStatus(old!.businessId, "closed");
    await setTenantStatus(recent!.businessId, "closed");
    await owner`update business_tenants set deleted_at = now() - interval '31 days' where id = ${old!.businessId}`;
    await owner`update business_tenants set deleted_at = now() - interval '2 days' where id = ${recent!.businessId}`;
    await runPlatform("platform.purge-closed");
    expect(await owner`select id from business_tenants where id = ${old!.businessId}`).toHaveLength(0);
    expect(await owner`select id from business_tenants where id = ${recent!.businessId}`).toHaveLength(1);
    const [audit] = await owner`select action, details->>'via' as via from platform_audit_log where target_business_id = ${old!.businessId} and action = 'tenant.purge'`;
    expect(audit).toEqual({ action: "tenant.purge", via: "job" });
  });

  test("platform.monthly-reports queues last month's report for each open business, once however often it runs", async () => {
    const [, , , open] = tenants;
    await runPlatform("platform.monthly-reports");
    await runPlatform("platform.monthly-reports");
    const reports = await owner<{ data: { tenantId: number; data: { period: string } } }[]>`
      select data from pgboss.job where name = 'tenant-jobs' and data->>'type' = 'reports.monthly' and group_id = ${String(open!.businessId)}`;
    expect(reports.map((r) => [r.data.tenantId, r.data.data.period])).toEqual([[open!.businessId, previousPeriod(new Date())]]);
    // Every other business got one too; they are not this test's to run.
    await owner`delete from pgboss.job where name = 'tenant-jobs' and data->>'type' = 'reports.monthly' and data->>'requestId' = 'test:platform.monthly-reports'`;
  });
});

describe("schedules", () => {
  test("a worker keeps one UTC schedule per scheduled platform type; the orphan-file sweep only once it is wired", async () => {
    const keys = async (runtime = testRuntime()) => {
      const worker = await testWorker({ schedule: true, runtime });
      try {
        return (await worker.boss.getSchedules(PLATFORM_QUEUE)).map((s) => [s.key, s.cron, s.timezone]).sort();
      } finally {
        await worker.stop();
      }
    };
    expect(await keys()).toEqual([
      ["platform.monthly-reports", "0 2 1 * *", "UTC"],
      ["platform.purge-closed", "30 3 * * *", "UTC"],
      ["platform.release-expired-holds", "* * * * *", "UTC"],
      ["platform.rollover", "*/10 * * * *", "UTC"],
    ]);
    const wired = await keys(testRuntime({ orphanFileSweep: async () => ({ deleted: 0 }) }));
    expect(wired.map(([key]) => key)).toContain("platform.orphan-file-sweep");
    await owner`delete from pgboss.schedule where name = ${PLATFORM_QUEUE}`;
  });

  test("each schedule queues its type with the type's own retries and expiry, not the platform queue's defaults", async () => {
    const worker = await testWorker({ schedule: true });
    try {
      const schedules = await worker.boss.getSchedules(PLATFORM_QUEUE);
      expect(schedules.length).toBeGreaterThanOrEqual(4);
      for (const s of schedules) {
        const policy = jobCatalog.get(s.key)!.policy!;
        expect({ type: s.key, retryLimit: s.options?.retryLimit, expireInSeconds: s.options?.expireInSeconds }).toEqual({
          type: s.key,
          retryLimit: policy.retryLimit,
          expireInSeconds: policy.expireInSeconds,
        });
      }
      // The release of stock holds runs every minute: a lost run must count as lost after 2 minutes, not the queue's 30.
      expect(schedules.find((s) => s.key === "platform.release-expired-holds")?.options?.expireInSeconds).toBe(120);
    } finally {
      await worker.stop();
      await owner`delete from pgboss.schedule where name = ${PLATFORM_QUEUE}`;
    }
  });
});
