/**
 * Search (Meilisearch), two questions:
 *
 *   - what the forced tenant filter costs: p50 latency of the same queries over
 *     100,000 products of 1,000 businesses, with `tenant_id = X` (as the search
 *     door sends it: an element of the filter array) and with no filter at all,
 *     interleaved one for one over the same HTTP path, so both see the same
 *     machine; and the door itself (scope.search.query, the filter built, the
 *     response mapped) beside them;
 *   - indexing lag under a stream of writes: products created and updated through
 *     the services (each write queues its job in its transaction), one job
 *     worker with the production defaults, and the time from each commit until
 *     Meilisearch returns that version of the document.
 *
 * Everything lives under a prefix of its own, dropped afterwards.
 */
import postgres from "postgres";
import { createDeps } from "../src/deps.ts";
import { startWorker } from "../src/jobs/worker.ts";
import { createMailer } from "../src/lib/mailer.ts";
import { register } from "../src/services/auth/register.ts";
import { createProduct } from "../src/services/products/create.ts";
import { CreateProductInput } from "../src/services/products/schemas.ts";
import { updateProduct } from "../src/services/products/update.ts";
import { provisionTenant } from "../src/services/tenants/provision.ts";
import type { ProductDocument } from "../src/tenancy/search-indexes.ts";
import type { BenchEnv } from "./env.ts";
import { int, latency, ms, pick, ratio } from "./stats.ts";

const BUSINESSES = 1_000;
const PER_BUSINESS = 100;
const QUERIES = 1_000;
const WORDS = ("chai masala saffron cardamom turmeric cumin basmati jaggery ghee paneer kulfi lassi dosa idli sambar rasam pickle papad "
  + "mango tamarind coconut cashew almond pista jalebi ladoo barfi halwa kheer chutney pakora samosa naan roti paratha biryani korma "
  + "tikka tandoori vindaloo dal chana rajma moong urad toor poha upma vada bhaji kachori dhokla thepla khakhra mathri namkeen bhujia").split(" ");
const ADJECTIVES = "organic fresh premium classic spicy sweet roasted golden royal homemade smoky tangy".split(" ");

const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

function catalogue(businessId: number): ProductDocument[] {
  const now = Date.now();
  return Array.from({ length: PER_BUSINESS }, (_, i) => ({
    id: i + 1,
    name: `${pick(ADJECTIVES)} ${pick(WORDS)} ${pick(WORDS)}`,
    description: `${sentence(8)} from business ${businessId}`,
    category_id: null,
    category: pick(["Spices", "Sweets", "Snacks", "Grains", "Drinks"]),
    price_cents: 100 + ((businessId * 7919 + i * 104_729) % 20_000),
    currency: "INR",
    status: i % 10 === 0 ? "draft" : "active",
    image_file_id: null,
    created_at: now,
    updated_at: now,
  }));
}

async function meili<T>(url: string, key: string, method: string, path: string, body?: unknown): Promise<T> {
  // keepalive: false, as the app's client does (src/tenancy/search-client.ts): Bun's fetch stalls ~40 ms on reused connections.
  const init = { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body), keepalive: false };
  const response = await fetch(new URL(path, url), init);
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as T;
}

/** Until Meilisearch has no task left to process. */
async function settled(url: string, key: string): Promise<void> {
  for (;;) {
    const { total } = await meili<{ total: number }>(url, key, "GET", "/tasks?statuses=enqueued,processing&limit=1");
    if (!total) return;
    await Bun.sleep(200);
  }
}

export async function searchBench(env: BenchEnv): Promise<string[]> {
  const { say, meiliUrl: url, meiliMasterKey: key } = env;
  if (!url) throw new Error("search bench: no Meilisearch (bench/run.ts starts one when this benchmark is selected)");
  const prefix = `desibazaar-bench-${crypto.randomUUID().slice(0, 8)}`;
  const deps = createDeps({ roleUrls: env.roleUrls, contextKey: env.contextKey, pool: { max: 10 }, tokens: { secret: crypto.randomUUID() }, baseDomain: "desibazaar.test", meiliUrl: url, meiliMasterKey: key, meiliIndexPrefix: prefix });
  // The deps' own search service (the one scope.search uses) writes and reads the bench's indexes.
  const { search } = deps;
  const runtime = { mailer: createMailer(undefined), mailFrom: "bench@desibazaar.test", orderHoldMinutes: 30 };
  const owner = postgres(env.ownerUrl, { max: 1, onnotice: () => {} });
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    await search.setup();
    // 100,000 documents, written through each business's own handle (uid and tenant_id set by the door).
    let t0 = performance.now();
    for (let b = 1; b <= BUSINESSES; b++) await search.forTenant(b).put("products", catalogue(b));
    await settled(url, key);
    say(`indexed ${int(BUSINESSES * PER_BUSINESS)} products of ${int(BUSINESSES)} businesses in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const index = search.names.products;
    const raw = (q: string, filter?: string[]) => meili(url, key, "POST", `/indexes/${index}/search`, { q, filter, limit: 20 });
    for (let i = 0; i < 100; i++) await raw(pick(WORDS), [`tenant_id = ${1 + (i % BUSINESSES)}`]); // warm-up
    const [forced, open, door] = [new Float64Array(QUERIES), new Float64Array(QUERIES), new Float64Array(QUERIES)];
    for (let i = 0; i < QUERIES; i++) {
      const q = `${pick(WORDS)}${i % 3 === 0 ? ` ${pick(WORDS)}` : ""}`;
      const business = 1 + Math.floor(Math.random() * BUSINESSES);
      const timed = async (fn: () => Promise<unknown>) => {
        const start = performance.now();
        await fn();
        return performance.now() - start;
      };
      // Alternate which goes first, so neither always runs on a warmer cache.
      const runs = [() => timed(() => raw(q, [`tenant_id = ${business}`])), () => timed(() => raw(q))];
      if (i % 2) runs.reverse();
      const [a, b] = [await runs[0]!(), await runs[1]!()];
      [forced[i], open[i]] = i % 2 ? [b, a] : [a, b];
      door[i] = await timed(() => search.forTenant(business).query("products", { q, limit: 20, offset: 0 }));
    }
    const [f, o, d] = [latency(forced), latency(open), latency(door)];
    const line1 = `search p50 over 100,000 products / 1,000 businesses: forced tenant filter ${ms(f.p50)} vs no filter ${ms(o.p50)} (${ratio(f.p50 / o.p50)}; goal ≤ 1.30x); through scope.search ${ms(d.p50)}`;
    say(line1);
    say(`  p95: forced ${ms(f.p95)}, no filter ${ms(o.p95)}, scope.search ${ms(d.p95)}`);

    // Indexing lag: a stream of writes through the services, the in-process worker with production defaults.
    const { userId } = await register(deps.scopes.asPlatform, { email: `bench-search-${crypto.randomUUID()}@example.test`, password: crypto.randomUUID(), name: "Bench" });
    const shops: number[] = [];
    for (let i = 0; i < 20; i++) {
      const b = await deps.scopes.asNewTenant(userId, (s) =>
        provisionTenant(s, userId, { name: `Search Bench ${i}`, industryType: "grocery", subscriptionPlanId: "enterprise", tenantTier: "standard", dataResidency: "in" }, { policy: { trialPlanId: "enterprise", maxBusinessesPerUser: 100 } }),
      );
      shops.push(b.businessId);
    }
    worker = await startWorker({ jobsUrl: env.roleUrls.jobs, scopes: deps.scopes, runtime, schedule: false });
    const lines = [line1];
    for (const perSecond of [10, 50]) {
      const since = new Date();
      const lag = await indexingLag(deps, shops, url, key, index, perSecond, say);
      const l = latency(lag.samples);
      // Where the time went: waiting in the queue, and running (reading the row, handing the write to Meilisearch).
      const [jobs] = await owner<{ wait: number; run: number }[]>`
        select percentile_cont(0.5) within group (order by extract(epoch from started_on - created_on)) * 1000 as wait,
               percentile_cont(0.5) within group (order by extract(epoch from completed_on - started_on)) * 1000 as run
          from pgboss.job where name = 'tenant-jobs' and data->>'type' = 'search.index-product' and created_on >= ${since} and state = 'completed'`;
      say(`  indexing jobs p50: ${ms(jobs!.wait)} queued, ${ms(jobs!.run)} running`);
      lines.push(`indexing lag, commit → searchable, ${int(lag.samples.length)} writes at ${int(lag.rate)}/s over 20 businesses into that index (one worker, defaults): p50 ${ms(l.p50)}, p99 ${ms(l.p99)}`);
      say(lines.at(-1)!);
    }
    return lines;
  } finally {
    await worker?.stop();
    runtime.mailer.close();
    await Promise.all([deps.close(), owner.end({ timeout: 5 })]);
    await search.drop().catch((error) => say(`could not drop the bench's indexes: ${String(error)}`));
  }
}

/** Creates and updates products at `perSecond` for 20 s; measures each commit until its version is in Meilisearch. */
async function indexingLag(deps: ReturnType<typeof createDeps>, shops: number[], url: string, key: string, index: string, perSecond: number, say: (m: string) => void) {
  const WRITES = perSecond * 20;
  const INTERVAL_MS = 1000 / perSecond;
  const pending = new Map<string, { committed: number; version: number }>();
  const lags: number[] = [];
  const products: { business: number; id: number }[] = [];
  let writing = true;

  const poller = (async () => {
    while (writing || pending.size) {
      const uids = [...pending.keys()].slice(0, 1000);
      if (uids.length) {
        const { results } = await meili<{ results: { id: number; tenant_id: number; updated_at: number }[] }>(url, key, "POST", `/indexes/${index}/documents/fetch`, {
          ids: uids,
          fields: ["id", "tenant_id", "updated_at"],
          limit: uids.length,
        });
        const now = performance.now();
        for (const doc of results) {
          const uid = `${doc.tenant_id}-${doc.id}`;
          const want = pending.get(uid);
          if (want && doc.updated_at >= want.version) {
            lags.push(now - want.committed);
            pending.delete(uid);
          }
        }
      }
      await Bun.sleep(20);
    }
  })();

  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < WRITES; i++) {
    const due = started + i * INTERVAL_MS;
    if (performance.now() < due) await Bun.sleep(due - performance.now());
    const business = shops[i % shops.length]!;
    const write = (async () => {
      // Half the writes update a product of the business whose last write is already measured (a pending one would lose its sample).
      const candidates = i % 2 === 1 ? products.filter((p) => p.business === business && !pending.has(`${business}-${p.id}`)) : [];
      const target = candidates.length ? pick(candidates) : undefined;
      const row = await deps.scopes.asTenant(business, (s) =>
        target ? updateProduct(s, { id: target.id, priceCents: i }) : createProduct(s, CreateProductInput.parse({ name: `${pick(ADJECTIVES)} ${pick(WORDS)} ${i}`, priceCents: i })),
      );
      const committed = performance.now();
      if (!target) products.push({ business, id: row.id });
      pending.set(`${business}-${row.id}`, { committed, version: row.updatedAt.getTime() });
    })();
    inFlight.push(write);
  }
  await Promise.all(inFlight);
  const rate = WRITES / ((performance.now() - started) / 1000);
  writing = false;
  const deadline = Date.now() + 120_000;
  while (pending.size && Date.now() < deadline) await Bun.sleep(50);
  if (pending.size) say(`  ${pending.size} writes still not searchable after 2 minutes`);
  pending.clear();
  await poller;
  return { samples: Float64Array.from(lags), rate };
}
