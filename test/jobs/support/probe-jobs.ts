/**
 * Job types that exist only in tests, registered in the real catalog so they
 * travel the whole path (send → RLS → pg-boss → worker → scope → handler). They
 * write what they saw into job_effects, read back through the business's own scope.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { jobCatalog } from "../../../src/jobs/catalog.ts";
import { defineTenantJob } from "../../../src/jobs/definition.ts";
import { recordEffect } from "../../../src/services/jobs/effects.ts";
import type { TenantScope } from "../../../src/tenancy/scopes.ts";

/** What a handler can see from its scope: the tenant in the context and every business id its queries reach. */
async function observe(scope: TenantScope) {
  const [row] = (await scope.db.execute(sql`
    select app.current_tenant_id()::text as tenant,
           (select coalesce(string_agg(distinct business_id::text, ',' order by business_id::text), '') from public.products) as products,
           (select coalesce(string_agg(id::text, ',' order by id::text), '') from public.business_tenants) as businesses,
           (select count(*)::int from public.products where business_id <> app.current_tenant_id()) as foreign_products`)) as unknown as {
    tenant: string;
    products: string;
    businesses: string;
    foreign_products: number;
  }[];
  return `tenant=${row!.tenant};products=${row!.products};businesses=${row!.businesses};foreign=${row!.foreign_products}`;
}

/** Does nothing: the fairness test and the benchmark measure the queue, not a handler. */
export const noopJob = defineTenantJob({
  type: "test.noop",
  data: z.object({ n: z.number().int() }),
  async run() {},
});

/**
 * Records `probe:{run}:{attempt}:{what it saw}`, then fails while attempt <= failTimes
 * (the failed attempt's row rolls back with it, so its observation is logged instead).
 * Its dead-letter copy records `dead:{run}:{what it saw}`.
 */
export const probeJob = defineTenantJob({
  type: "test.probe",
  data: z.object({ run: z.string(), failTimes: z.number().int().min(0).default(0) }),
  policy: { retryLimit: 2, retryDelay: 1, retryBackoff: false, expireInSeconds: 30 },
  async run({ scope, data, job, log }) {
    const seen = await observe(scope);
    log.info({ probe: data.run, seen }, "probe ran");
    if (job.attempt <= data.failTimes) throw new Error(`probe ${data.run} fails on attempt ${job.attempt}`);
    await recordEffect(scope, `probe:${data.run}:${job.attempt}:${seen}`, job.id);
  },
  async onDeadLetter({ scope, data, job }) {
    await recordEffect(scope, `dead:${data.run}:${await observe(scope)}`, job.id);
  },
});

/**
 * The crash probe: claims `row:{run}` (its effect), then holds the transaction open
 * for `holdMs` so a test can kill the worker mid-job. Expires fast so a killed run is retried quickly.
 */
export const slowEffectJob = defineTenantJob({
  type: "test.slow-effect",
  data: z.object({ run: z.string(), holdMs: z.number().int().min(0) }),
  policy: { retryLimit: 3, retryDelay: 1, retryBackoff: false, expireInSeconds: 5 },
  async run({ scope, data, job, log }) {
    if (!(await recordEffect(scope, `row:${data.run}`, job.id))) return;
    log.info({ probe: data.run, attempt: job.attempt }, "slow effect claimed; holding");
    // Holding only on a first attempt: the retry after the kill completes.
    if (job.attempt === 1) await Bun.sleep(data.holdMs);
  },
});

jobCatalog.register(noopJob, probeJob, slowEffectJob);
