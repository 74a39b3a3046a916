/**
 * Provisioning throughput: 1,000 businesses through provisionTenant in
 * scopes.asNewTenant (what tenants.provision and `bun run tenant provision`
 * run: ten steps, one transaction, under the new tenant's RLS context), with 4
 * and then 8 provisions in flight. Goal: 1,000 in under 60 s.
 *
 * All for one owner, so password hashing (done once) stays out of the numbers.
 * The run is checked afterwards: every business must exist with its defaults.
 */
import postgres from "postgres";
import { createDeps } from "../src/deps.ts";
import { register } from "../src/services/auth/register.ts";
import { DEFAULT_PROVISIONING_POLICY, provisionTenant } from "../src/services/tenants/provision.ts";
import type { BenchEnv } from "./env.ts";
import { int, latency, ms } from "./stats.ts";

const TOTAL = 1_000;
const CONCURRENCIES = [4, 8];
const WARMUP = 20;
const GOAL_SECONDS = 60;
const INDUSTRIES = ["salon", "restaurant", "grocery", "retail", "services"] as const;

export async function benchProvision(env: BenchEnv): Promise<string[]> {
  const { say } = env;
  const deps = createDeps({ roleUrls: env.roleUrls, contextKey: env.contextKey, pool: { max: Math.max(...CONCURRENCIES) }, tokens: { secret: crypto.randomUUID() }, baseDomain: "desibazaar.test" });
  const owner = postgres(env.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    // One owner per request in flight, as real sign-ups are: one account's provisions queue behind each
    // other (the per-account business cap locks the account), and each owner may hold all it makes here.
    const owners = await Promise.all(
      Array.from({ length: Math.max(...CONCURRENCIES) }, async () =>
        (await register(deps.scopes.asPlatform, { email: `bench-provision-${crypto.randomUUID()}@example.test`, password: crypto.randomUUID(), name: "Bench Owner" })).userId,
      ),
    );
    const policy = { ...DEFAULT_PROVISIONING_POLICY, maxBusinessesPerUser: 2 * TOTAL + WARMUP };
    const provisionOne = (userId: number, name: string, i: number) =>
      deps.scopes.asNewTenant(userId, (s) =>
        provisionTenant(
          s,
          userId,
          { name, industryType: INDUSTRIES[i % INDUSTRIES.length]!, subscriptionPlanId: "free", tenantTier: "standard", dataResidency: "in" },
          { policy },
        ),
      );

    /** `count` provisions with `concurrency` in flight; half share one name, so slug collisions are part of the load. */
    async function run(prefix: string, count: number, concurrency: number) {
      const samples = new Float64Array(count);
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async (_, slot) => {
          for (let i = next++; i < count; i = next++) {
            const t0 = performance.now();
            await provisionOne(owners[slot]!, i % 2 ? `${prefix} Shared Name` : `${prefix} Shop ${i}`, i);
            samples[i] = performance.now() - t0;
          }
        }),
      );
      return { seconds: (performance.now() - started) / 1000, latency: latency(samples) };
    }

    await run(`Warmup ${crypto.randomUUID().slice(0, 8)}`, WARMUP, 4);
    const lines: string[] = [];
    for (const concurrency of CONCURRENCIES) {
      const prefix = `Bench ${concurrency} ${crypto.randomUUID().slice(0, 8)}`;
      say(`provisioning ${int(TOTAL)} businesses, ${concurrency} at a time`);
      const r = await run(prefix, TOTAL, concurrency);
      const [check] = await owner<{ tenants: number; categories: number; templates: number }[]>`
        select count(*)::int as tenants,
               (select count(*)::int from categories c join business_tenants t2 on t2.id = c.business_id where t2.name like ${`${prefix}%`}) as categories,
               (select count(*)::int from email_templates e join business_tenants t3 on t3.id = e.business_id where t3.name like ${`${prefix}%`}) as templates
          from business_tenants t where t.name like ${`${prefix}%`}`;
      if (check!.tenants !== TOTAL || check!.categories === 0 || check!.templates !== TOTAL * 6) {
        throw new Error(`provision bench: expected ${TOTAL} complete businesses, found ${JSON.stringify(check)}`);
      }
      const rate = TOTAL / r.seconds;
      const verdict = r.seconds < GOAL_SECONDS ? "meets" : "MISSES";
      say(`  ${int(rate)} businesses/s, ${r.seconds.toFixed(1)} s for ${int(TOTAL)}; per provision p50 ${ms(r.latency.p50)}, p95 ${ms(r.latency.p95)}, p99 ${ms(r.latency.p99)}`);
      lines.push(
        `provision (c=${concurrency}): ${int(rate)} businesses/s, ${int(TOTAL)} in ${r.seconds.toFixed(1)} s (goal ${int(TOTAL)} in < ${GOAL_SECONDS} s: ${verdict}); p50 ${ms(r.latency.p50)}, p95 ${ms(r.latency.p95)}`,
      );
    }
    return lines;
  } finally {
    await Promise.all([deps.close(), owner.end({ timeout: 5 })]);
  }
}
