/**
 * What the cache saves and what the rate limiter costs, measured side by side:
 *
 *   P  a business's category list from PostgreSQL: asTenant (read-only) + the query, as tRPC queries run it
 *   R  the same list, a cache hit on Redis        (skipped without REDIS_URL)
 *   M  the same list, a cache hit on memory
 *      (and R once more on its own, back to back: no idle time between calls)
 *   LR admission of one tenant request on Redis: plan lookup (cached) + both token buckets in one script
 *   LM the same on memory
 *
 * One logical client, variants interleaved per iteration (rotating order, a random
 * business each call), so drift on a shared machine hits all variants alike. On a
 * busy machine every network round trip also waits for the scheduler, which a
 * memory hit never does: read the Redis ratio next to the load average.
 */
import { asc, eq } from "drizzle-orm";
import postgres from "postgres";
import { categories } from "../src/db/schema/index.ts";
import { createDeps, type OwnedDeps } from "../src/deps.ts";
import { admitTenantRequest } from "../src/tenancy/admission.ts";
import { TTL } from "../src/tenancy/cache.ts";
import type { TenantScope } from "../src/tenancy/scopes.ts";
import { removeKeysUnder } from "../test/setup/redis-keys.ts";
import type { BenchEnv } from "./env.ts";
import { int, latency, ms, pick, ratio, type Latency } from "./stats.ts";

const TENANTS = 500;
const CATEGORIES_PER_TENANT = 12;
const WARMUP = 500;
const ITERATIONS = 5_000;

type Variant = { key: string; label: string; run(tenant: Tenant): Promise<unknown> };
type Tenant = { id: number; slug: string };

async function seed(ownerUrl: string, say: (m: string) => void): Promise<Tenant[]> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    say(`seeding ${int(TENANTS)} businesses with ${CATEGORIES_PER_TENANT} categories each`);
    const rows = await sql<{ id: string; slug: string }[]>`
      insert into business_tenants (slug, name, industry_type, status)
      select 'cache-bench-' || g, 'Cache bench ' || g, 'retail', 'active' from generate_series(1, ${TENANTS}::int) g
      returning id, slug`;
    const tenants = rows.map((r) => ({ id: Number(r.id), slug: r.slug }));
    await sql`
      insert into categories (business_id, name)
      select t.id, 'Category ' || g from unnest(${tenants.map((t) => t.id)}::bigint[]) as t(id), generate_series(1, ${CATEGORIES_PER_TENANT}::int) g`;
    await sql`analyze business_tenants, categories`;
    return tenants;
  } finally {
    await sql.end();
  }
}

async function measure(variants: Variant[], tenants: Tenant[], iterations: number): Promise<Map<string, Latency>> {
  const samples = variants.map(() => new Float64Array(iterations));
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (i + k) % variants.length;
      const tenant = pick(tenants);
      // Let the previous call's leftovers (a read-only COMMIT is sent without waiting) land outside this sample.
      await Bun.sleep(0);
      const started = performance.now();
      await variants[index]!.run(tenant);
      samples[index]![i] = performance.now() - started;
    }
  }
  return new Map(variants.map((v, i) => [v.key, latency(samples[i]!)]));
}

export async function cacheBench(env: BenchEnv): Promise<string[]> {
  const { say } = env;
  const tenants = await seed(env.ownerUrl, say);
  const prefix = `desibazaar-bench-${crypto.randomUUID().slice(0, 8)}`;
  const depsOn = (redisUrl?: string) =>
    createDeps({ roleUrls: env.roleUrls, contextKey: env.contextKey, pool: { max: 4 }, tokens: { secret: crypto.randomUUID() }, baseDomain: "bench.test", redisUrl, cachePrefix: prefix });
  const memory = depsOn();
  const redis: OwnedDeps | null = env.redisUrl ? depsOn(env.redisUrl) : null;
  if (redis) await redis.cache.store.ready();
  else say("REDIS_URL is not set: the Redis variants are skipped");

  const list = (tenant: Tenant) => (s: TenantScope) =>
    s.db.select().from(categories).where(eq(categories.businessId, tenant.id)).orderBy(asc(categories.name));
  const fromPostgres = (tenant: Tenant) => memory.scopes.asTenant(tenant.id, list(tenant), { readOnly: true });
  const cached = (deps: OwnedDeps) => (tenant: Tenant) =>
    deps.cache.forTenant(tenant.id).getOrCompute("categories", "all", () => fromPostgres(tenant), TTL.MEDIUM);
  let user = 0;
  const admit = (deps: OwnedDeps) => (tenant: Tenant) =>
    admitTenantRequest(deps.admission, { tenantRef: tenant.slug, userId: ++user, headers: new Headers() });

  const variants: Variant[] = [
    { key: "P", label: "category list from PostgreSQL (asTenant read-only)", run: fromPostgres },
    ...(redis ? [{ key: "R", label: "the same list, cache hit on Redis", run: cached(redis) }] : []),
    { key: "M", label: "the same list, cache hit on memory", run: cached(memory) },
    ...(redis ? [{ key: "LR", label: "rate limiter per request, on Redis", run: admit(redis) }] : []),
    { key: "LM", label: "rate limiter per request, on memory", run: admit(memory) },
  ];

  try {
    const expected = (await fromPostgres(tenants[0]!)).length;
    for (const v of variants.filter((v) => v.key === "R" || v.key === "M")) {
      const got = (await v.run(tenants[0]!)) as unknown[];
      if (got.length !== expected) throw new Error(`variant ${v.key} returned ${got.length} rows, not ${expected}`);
    }
    say("filling the caches and the plan entries");
    for (const t of tenants) for (const v of variants.filter((v) => v.key !== "P")) await v.run(t);
    say(`warming up (${int(WARMUP)} per variant)`);
    await measure(variants, tenants, WARMUP);
    say(`measuring (${int(ITERATIONS)} per variant, interleaved, 1 client)`);
    const lat = await measure(variants, tenants, ITERATIONS);
    const p = lat.get("P")!.p50;
    for (const v of variants) {
      const l = lat.get(v.key)!;
      say(`  ${v.key.padEnd(2)} ${v.label.padEnd(52)} p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  (${ratio(l.p50 / p)} of P)`);
    }
    // The same Redis hit with no idle time between calls: what a round trip costs when the process is busy anyway.
    let backToBack: number | undefined;
    if (redis) {
      const samples = new Float64Array(ITERATIONS);
      for (let i = 0; i < ITERATIONS; i++) {
        const started = performance.now();
        await cached(redis)(pick(tenants));
        samples[i] = performance.now() - started;
      }
      backToBack = latency(samples).p50;
      say(`  R, back to back (no idle time between calls)                         p50 ${ms(backToBack)}  (${ratio(backToBack / p)} of P)`);
    }
    const p50 = (key: string) => lat.get(key)?.p50;
    const hit = (key: string, store: string) => (p50(key) === undefined ? `${store} skipped` : `${store} ${ms(p50(key)!)} → ${ratio(p50(key)! / p)}`);
    const limiter = (key: string, store: string) => (p50(key) === undefined ? `${store} skipped` : `${store} ${ms(p50(key)!)}`);
    return [
      `cached read p50 vs PostgreSQL ${ms(p)}: ${hit("R", "Redis")}, ${hit("M", "memory")} (goal ≤ 0.3x)` +
        (backToBack === undefined ? "" : `; Redis back to back ${ms(backToBack)} → ${ratio(backToBack / p)}`),
      `rate limiter added p50 per request: ${limiter("LR", "Redis")}, ${limiter("LM", "memory")}`,
    ];
  } finally {
    await memory.close();
    await redis?.close();
    if (env.redisUrl) await removeKeysUnder(env.redisUrl, prefix);
  }
}
