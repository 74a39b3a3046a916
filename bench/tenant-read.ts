/**
 * What tenant context costs on a read: the same 10-row indexed read of one
 * tenant's audit_log, through the scope procedures use and through a plain
 * query, over 200k rows in 1,000 tenants.
 *
 *   A  scopes.asTenant(..., { readOnly: true })   what tRPC queries run
 *   B  raw postgres.js query on the owner pool    the floor: no transaction, no context
 *   C  scopes.asTenant(...)                       mutation shape: COMMIT is awaited
 *   D  sql.begin + set_config (signed) + query    the naive shape, for context
 *   E  the drizzle query of A on the owner pool   no transaction, no context: A/E is
 *                                                 what tenancy adds, E/B what drizzle adds
 *   P  A's query built once (tenancy/prepared.ts) what hot procedures (products.list) run:
 *      in asTenant readOnly                       P/B is the procedures' path against raw
 *   F  P's statements in raw postgres.js          the floor of a tenant read: BEGIN READ ONLY,
 *                                                 the signed context and the query in one
 *                                                 write, COMMIT not awaited, no code of ours.
 *                                                 F/B is what the transaction itself costs
 *                                                 (no design that keeps it gets below), P/F
 *                                                 what our code adds to it
 *
 * Latency is measured on one logical client, variants interleaved per
 * iteration (rotating order, random tenant each call), so drift on a shared
 * machine hits all variants alike. Each variant has its own pool of the same size.
 * Socket writes per read are counted too: round trips, whatever the machine.
 */
import net from "node:net";
import { desc, eq, sql as drizzleSql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { resolveRoleNames } from "../src/db/roles.ts";
import { auditLog } from "../src/db/schema/index.ts";
import { createContextStatements } from "../src/tenancy/db-context.ts";
import { createDeps } from "../src/deps.ts";
import { preparedQuery } from "../src/tenancy/prepared.ts";
import type { TenantScope } from "../src/tenancy/scopes.ts";
import type { BenchEnv } from "./env.ts";
import { int, latency, ms, pick, ratio, type Latency } from "./stats.ts";

const TENANTS = 1_000;
const ROWS_PER_TENANT = 200;
const POOL_MAX = 4;
const WARMUP = 500;
const ITERATIONS = 5_000;
const THROUGHPUT = { concurrency: 8, rounds: 3, roundMs: 1_000 };

type Row = { business_id?: unknown; businessId?: unknown; id: unknown };
type Variant = { key: string; label: string; read(businessId: number): Promise<Row[]> };

/** Tenants and their audit rows, written by the owner (a superuser, so RLS does not apply). */
async function seed(ownerUrl: string, say: (m: string) => void): Promise<number[]> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const started = performance.now();
    say(`seeding ${int(TENANTS)} tenants`);
    const tenants = await sql<{ id: string }[]>`
      insert into business_tenants (slug, name, industry_type, status)
      select 'bench-' || g, 'Bench shop ' || g, 'retail', 'active' from generate_series(1, ${TENANTS}::int) g
      returning id`;
    const ids = tenants.map((t) => Number(t.id));
    say(`seeding ${int(TENANTS * ROWS_PER_TENANT)} audit_log rows`);
    // generate_series outermost: each tenant's rows are spread over the heap, as rows written over time are.
    await sql`
      insert into audit_log (business_id, actor_user_id, action, entity_type, entity_id, details)
      select t.id, null, 'order.create', 'order', g::text, jsonb_build_object('n', g)
        from generate_series(1, ${ROWS_PER_TENANT}::int) g
        cross join unnest(${ids}::bigint[]) as t(id)`;
    await sql`analyze business_tenants, audit_log`;
    say(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return ids;
  } finally {
    await sql.end();
  }
}

/** Every variant must return the tenant's 10 newest rows, or its timing means nothing. */
async function checkSameRows(variants: Variant[], businessId: number): Promise<void> {
  const idsOf = (rows: Row[]) => rows.map((r) => String(r.id)).join(",");
  const results = await Promise.all(variants.map(async (v) => ({ v, rows: await v.read(businessId) })));
  const expected = idsOf(results[0]!.rows);
  for (const { v, rows } of results) {
    const foreign = rows.some((r) => Number(r.business_id ?? r.businessId) !== businessId);
    if (rows.length !== 10 || foreign || idsOf(rows) !== expected) throw new Error(`variant ${v.key} returned other rows than ${results[0]!.v.key}`);
  }
}

async function measureLatency(variants: Variant[], ids: number[], iterations: number): Promise<Map<string, Latency>> {
  const samples = variants.map(() => new Float64Array(iterations));
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (i + k) % variants.length; // rotate who goes first
      const businessId = pick(ids);
      const started = performance.now();
      await variants[index]!.read(businessId);
      samples[index]![i] = performance.now() - started;
    }
  }
  return new Map(variants.map((v, i) => [v.key, latency(samples[i]!)]));
}

/**
 * Socket writes per read: each is one trip to the server, so this counts round
 * trips independently of how fast this machine is (A's last write is its COMMIT,
 * sent without waiting). One read at a time, with a pause after each so deferred
 * writes land in the read that caused them. postgres.js writes through node:net.
 */
async function writesPerRead(variants: Variant[], ids: number[], reads = 50): Promise<Map<string, number>> {
  let writes = 0;
  const original = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: net.Socket, ...args: Parameters<typeof original>) {
    writes++;
    return original.apply(this, args);
  } as typeof original;
  try {
    const counts = new Map<string, number>();
    for (const v of variants) {
      const before = writes;
      for (let i = 0; i < reads; i++) {
        await v.read(pick(ids));
        await Bun.sleep(3);
      }
      counts.set(v.key, (writes - before) / reads);
    }
    return counts;
  } finally {
    net.Socket.prototype.write = original;
  }
}

/** Reads per second with `concurrency` clients, variants alternating in short rounds. */
async function measureThroughput(variants: Variant[], ids: number[]): Promise<Map<string, number>> {
  const done = new Map(variants.map((v) => [v.key, { ops: 0, ms: 0 }]));
  for (let round = 0; round < THROUGHPUT.rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(round + k) % variants.length]!;
      const started = performance.now();
      const deadline = started + THROUGHPUT.roundMs;
      let ops = 0;
      await Promise.all(
        Array.from({ length: THROUGHPUT.concurrency }, async () => {
          while (performance.now() < deadline) {
            await v.read(pick(ids));
            ops++;
          }
        }),
      );
      const total = done.get(v.key)!;
      total.ops += ops;
      total.ms += performance.now() - started;
    }
  }
  return new Map([...done].map(([key, { ops, ms }]) => [key, (ops * 1000) / ms]));
}

export async function tenantReadBench(env: BenchEnv): Promise<string[]> {
  const { say } = env;
  const ids = await seed(env.ownerUrl, say);

  // Separate deps (and so pools) for A and C: no variant reuses another's warm connections.
  const depsFor = () => createDeps({ roleUrls: env.roleUrls, contextKey: env.contextKey, pool: { max: POOL_MAX }, tokens: { secret: crypto.randomUUID() }, baseDomain: "bench.test" });
  const scopedDeps = depsFor();
  const mutatingDeps = depsFor();
  const preparedDeps = depsFor();
  const owner = postgres(env.ownerUrl, { max: POOL_MAX, onnotice: () => {} });
  const app = postgres(env.roleUrls.app, { max: POOL_MAX, onnotice: () => {} });
  const floor = postgres(env.roleUrls.app, { max: POOL_MAX, onnotice: () => {} });
  const contexts = createContextStatements({ key: env.contextKey, roles: resolveRoleNames(env.ownerUrl, env.roleUrls) });

  const ownerDb = drizzle({ client: postgres(env.ownerUrl, { max: POOL_MAX, onnotice: () => {} }) });
  const drizzleRead = (businessId: number) => (s: Pick<TenantScope, "db">) =>
    s.db.select().from(auditLog).where(eq(auditLog.businessId, businessId)).orderBy(desc(auditLog.id)).limit(10);

  const preparedRead = preparedQuery("bench_audit_page", (db) =>
    db.select().from(auditLog).where(eq(auditLog.businessId, drizzleSql.placeholder("businessId"))).orderBy(desc(auditLog.id)).limit(10),
  );

  const variants: Variant[] = [
    { key: "P", label: "scoped, read-only, query built once", read: (id) => preparedDeps.scopes.asTenant(id, (s) => preparedRead(s.db, { businessId: id }), { readOnly: true }) },
    { key: "A", label: "scoped, read-only (asTenant readOnly)", read: (id) => scopedDeps.scopes.asTenant(id, drizzleRead(id), { readOnly: true }) },
    {
      key: "B",
      label: "raw query, owner pool, no transaction",
      read: (id) => owner`select * from audit_log where business_id = ${id} order by id desc limit 10`,
    },
    { key: "C", label: "scoped, mutation shape (awaits COMMIT)", read: (id) => mutatingDeps.scopes.asTenant(id, drizzleRead(id)) },
    {
      key: "D",
      label: "naive: sql.begin + set_config + query",
      read: (id) =>
        app.begin(async (tx) => {
          await contexts.tenant(id)(tx as never);
          return tx`select * from audit_log where business_id = ${id} order by id desc limit 10`;
        }) as Promise<Row[]>,
    },
    { key: "E", label: "drizzle query, owner pool, no transaction", read: (id) => drizzleRead(id)({ db: ownerDb }) },
    {
      key: "F",
      label: "floor: P's statements, raw, one write",
      read: async (id) => {
        const conn = await floor.reserve();
        try {
          const [, , rows] = await Promise.all([
            conn`begin read only`.execute(),
            contexts.tenant(id)(conn).execute(),
            conn`select * from public.audit_log where business_id = ${id} order by id desc limit 10`.execute(),
          ]);
          conn`commit`.execute().catch(() => {});
          return rows as unknown as Row[];
        } finally {
          conn.release();
        }
      },
    },
  ];

  try {
    await checkSameRows(variants, pick(ids));
    say(`warming up (${int(WARMUP)} reads per variant)`);
    await measureLatency(variants, ids, WARMUP);
    say(`measuring latency (${int(ITERATIONS)} reads per variant, interleaved, 1 client, pools of ${POOL_MAX})`);
    const lat = await measureLatency(variants, ids, ITERATIONS);
    const b = lat.get("B")!.p50;
    for (const v of variants) {
      const l = lat.get(v.key)!;
      say(`  ${v.key} ${v.label.padEnd(42)} p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  (${ratio(l.p50 / b)} of B)`);
    }

    const writes = await writesPerRead(variants, ids);
    const writesLine = variants.map((v) => `${v.key} ${writes.get(v.key)!.toFixed(1)}`).join(", ");
    say(`  socket writes per read (trips to the server): ${writesLine}`);

    say(`measuring throughput (concurrency ${THROUGHPUT.concurrency}, ${THROUGHPUT.rounds} rounds x ${THROUGHPUT.roundMs} ms per variant)`);
    const tput = await measureThroughput(variants, ids);
    for (const v of variants) say(`  ${v.key} ${v.label.padEnd(42)} ${int(tput.get(v.key)!)} reads/s`);

    const p50 = (key: string) => lat.get(key)!.p50;
    return [
      `tenant read p50: scoped, query built once (the procedures' path) ${ms(p50("P"))}, raw ${ms(b)} → ratio ${ratio(p50("P") / b)} (goal ≤ 1.15x)`,
      `tenant read p50: the floor, the same transaction in raw postgres.js ${ms(p50("F"))} → ${ratio(p50("F") / b)} of raw; the procedures' path is ${ratio(p50("P") / p50("F"))} of the floor`,
      `tenant read p50: scoped, query built per call ${ms(p50("A"))} → ${ratio(p50("A") / b)}`,
      `tenant read p50: mutation-shaped ${ms(p50("C"))} → ${ratio(p50("C") / b)}; naive sql.begin ${ms(p50("D"))} → ${ratio(p50("D") / b)}`,
      `tenant read p50: same drizzle query without tenancy ${ms(p50("E"))} → scoped/drizzle-only ${ratio(p50("A") / p50("E"))}, drizzle-only/raw ${ratio(p50("E") / b)}`,
      `tenant read socket writes per read: ${writesLine}`,
      `tenant read throughput (c=${THROUGHPUT.concurrency}): scoped ${int(tput.get("A")!)}/s, raw ${int(tput.get("B")!)}/s → ${ratio(tput.get("B")! / tput.get("A")!)} fewer`,
    ];
  } finally {
    await Promise.all([scopedDeps.close(), mutatingDeps.close(), preparedDeps.close(), owner.end({ timeout: 5 }), app.end({ timeout: 5 }), floor.end({ timeout: 5 }), ownerDb.$client.end({ timeout: 5 })]);
  }
}
