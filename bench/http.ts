/**
 * `bun run bench http`: `products.list` (limit 20) over real HTTP, as issue 8
 * measures it, rotating over 1,000 businesses of 200 products each:
 *
 *   ours, 1 process    one API process of `bun run start` (src/server/api-process.ts): WORKERS=1
 *   peer               Express + tRPC + node-postgres on Node (../shared/peer-bench), when present
 *   tenancy            our request path on Bun.serve, without Hono and tRPC (bench/floor-server.ts)
 *   floor              our transaction on Bun.serve + postgres.js, no code of ours (bench/floor-server.ts)
 *   ours, 2 processes  WORKERS=2: two of them sharing the port (bench/http-api.ts)
 *
 * Every server runs in a process of its own and the load comes from another
 * (wrk, or bench/load-process.ts): the figures are the server's alone, and its
 * CPU time and RSS are read from /proc around each round, with PostgreSQL's CPU
 * (all its processes): the two share this machine's cores, which is what bounds req/s. Rounds alternate the
 * servers, rotating who goes first, so drift on a shared machine hits each
 * alike; each figure is the median of the rounds. The in-process comparison of
 * tRPC with a raw route (bench/http-in-process.ts) follows.
 *
 * With BENCH_CPU_PROFILE=<dir>, it profiles instead (profileProductsList).
 */
import type { BenchEnv } from "./env.ts";
import { lendEnvironment, startApiGroup, type ApiGroup } from "./http-api.ts";
import { inProcessHttpBench } from "./http-in-process.ts";
import { loadGenerator, type LoadGenerator, type LoadTarget } from "./http-load.ts";
import { startPeer, type Peer } from "./http-peer.ts";
import { seedCatalogue } from "./http-seed.ts";
import { startFloor } from "./http-floor.ts";
import { cpuMs, parentOf, postgresCpuSince, postgresCpuSnapshot, usageDuring } from "./proc-usage.ts";
import postgres from "postgres";
import { int, median, ratio } from "./stats.ts";

export const CONCURRENCY = 32;
const ROUNDS = 3;
export const ROUND_SECONDS = 5;
/**
 * Under this load an API process's JIT threads (JSC's JITWorker) keep compiling for
 * 15-20 s, about 20,000 requests: at 5 s of warm-up they still took a sixth of its
 * CPU in the first rounds, and its req/s rose round after round. Every server gets
 * the same warm-up.
 */
const WARMUP_SECONDS = 20;
const PGBENCH_SECONDS = 5;
const LIST_PATH = `/trpc/products.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 20 } }))}`;

interface Server {
  label: string;
  target: LoadTarget;
  pids(): number[];
  /** The product rows of a products.list answer, or undefined when it is something else. */
  rowsOf(body: unknown): { id: unknown }[] | undefined;
}

interface Round {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  firstFailure?: string;
  cpuMsPerRequest?: number;
  /** PostgreSQL's CPU per request, all its processes on this machine. */
  dbCpuMsPerRequest?: number;
  peakRssMb?: number;
}

type Json = { result?: { data?: { json?: unknown } } };
const oursRows = (body: unknown) => (body as Json)?.result?.data?.json as { items?: { id: unknown }[] } | undefined;

/**
 * Ours, or a floor: both answer in tRPC's envelope (the transaction floor's rows
 * are raw, without superjson's walk) and need no token for the transaction floor,
 * which is given the user.
 */
function ourServer(label: string, server: Pick<ApiGroup, "url" | "pids">, tenantKeys: string[], accessToken?: string): Server {
  const headerSets = tenantKeys.map((key) => ({ ...(accessToken && { authorization: `Bearer ${accessToken}` }), "x-tenant-id": key }));
  return { label, target: { url: server.url + LIST_PATH, headerSets }, pids: server.pids, rowsOf: (body) => oursRows(body)?.items };
}

function peerServer(peer: Peer, businesses: number): Server {
  const headerSets = Array.from({ length: businesses }, (_, i) => ({ "x-tenant-id": String(i + 1) }));
  const rowsOf = (body: unknown) => (body as Json)?.result?.data?.json as { id: unknown }[] | undefined;
  return { label: "peer (Express, Node)", target: { url: peer.url + LIST_PATH, headerSets }, pids: () => [peer.pid], rowsOf };
}

/**
 * What bounds req/s on this machine: every request costs the server's CPU and
 * PostgreSQL's, on the same cores (wrk's own share is small). At full load the
 * cores divide between them, so req/s cannot pass cores / (server + database
 * CPU per request); the floor shows the least that sum can be for our transaction.
 */
function bound(label: string, s: Summary): string {
  if (s.cpuMsPerRequest === undefined || s.dbCpuMsPerRequest === undefined) return `${label}: CPU n/a`;
  const total = s.cpuMsPerRequest + s.dbCpuMsPerRequest;
  return `${label} ${s.cpuMsPerRequest.toFixed(2)} + ${s.dbCpuMsPerRequest.toFixed(2)} = ${total.toFixed(2)} ms (at most ${int((CORES * 1000) / total)} req/s on ${CORES} cores)`;
}
const CORES = navigator.hardwareConcurrency;
const cpuOf = (s: Summary) => (s.cpuMsPerRequest === undefined ? "n/a" : `${s.cpuMsPerRequest.toFixed(2)} ms`);

/** A benchmark of 401s measures nothing: two businesses must answer 20 rows each, and different ones. */
async function checkAnswers(server: Server): Promise<void> {
  const answers = await Promise.all(
    server.target.headerSets.slice(0, 2).map(async (headers) => {
      const response = await fetch(server.target.url, { headers });
      const text = await response.text();
      const rows = response.ok ? server.rowsOf(JSON.parse(text)) : undefined;
      if (rows?.length !== 20) throw new Error(`${server.label}: products.list answered HTTP ${response.status} ${text.slice(0, 300)}`);
      return rows.map((r) => String(r.id)).join(",");
    }),
  );
  if (answers[0] === answers[1]) throw new Error(`${server.label}: two businesses got the same products; the tenant header is not rotating`);
}

/** The benchmark database's postmaster (the parent of a backend), when it runs on this machine. */
async function postmasterOf(ownerUrl: string): Promise<number | undefined> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    return parentOf(row!.pid);
  } finally {
    await sql.end();
  }
}

export async function measureRound(server: Server, load: LoadGenerator, postmaster: number | undefined, seconds = ROUND_SECONDS): Promise<Round> {
  const dbBefore = postmaster === undefined ? undefined : postgresCpuSnapshot(postmaster);
  const { result, cpuMs: cpu, peakRssMb } = await usageDuring(server.pids(), () => load.run(server.target, seconds));
  const db = postmaster === undefined ? undefined : postgresCpuSince(postmaster, dbBefore!);
  return {
    rps: result.ok / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    errors: result.errors,
    firstFailure: result.firstFailure,
    cpuMsPerRequest: cpu === undefined || result.ok === 0 ? undefined : cpu / result.ok,
    dbCpuMsPerRequest: db === undefined || result.ok === 0 ? undefined : db / result.ok,
    peakRssMb,
  };
}

function summarise(rounds: Round[]) {
  const known = (values: (number | undefined)[]) => (values.every((v) => v !== undefined) ? (values as number[]) : undefined);
  const cpu = known(rounds.map((r) => r.cpuMsPerRequest));
  const dbCpu = known(rounds.map((r) => r.dbCpuMsPerRequest));
  const rss = known(rounds.map((r) => r.peakRssMb));
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    firstFailure: rounds.find((r) => r.firstFailure)?.firstFailure,
    cpuMsPerRequest: cpu && median(cpu),
    dbCpuMsPerRequest: dbCpu && median(dbCpu),
    peakRssMb: rss && Math.max(...rss),
  };
}
type Summary = ReturnType<typeof summarise>;

export const describe = (s: Summary | Round) =>
  `${int(s.rps)} req/s p50 ${s.p50Ms.toFixed(1)} ms p99 ${s.p99Ms.toFixed(1)} ms, ` +
  `${s.cpuMsPerRequest === undefined ? "CPU n/a" : `${s.cpuMsPerRequest.toFixed(2)} ms CPU/req`} ` +
  `(+ PostgreSQL ${s.dbCpuMsPerRequest === undefined ? "n/a" : `${s.dbCpuMsPerRequest.toFixed(2)} ms`}), ` +
  `RSS ${s.peakRssMb === undefined ? "n/a" : `${int(s.peakRssMb)} MB`}${s.errors ? `, ${int(s.errors)} ERRORS` : ""}`;

/** The goals of issue 8 are ratios to the peer: req/s up, p99 and CPU per request down. */
function vsPeer(ours: Summary, peer: Summary): string {
  const cpu = ours.cpuMsPerRequest !== undefined && peer.cpuMsPerRequest !== undefined ? `, CPU/req ${ratio(ours.cpuMsPerRequest / peer.cpuMsPerRequest)}` : "";
  return `req/s ${ratio(ours.rps / peer.rps)}, p99 ${ratio(ours.p99Ms / peer.p99Ms)}${cpu}`;
}

/** With two processes the kernel should give each a share of the connections; say if one sat idle. */
async function warmUp(servers: Server[], load: LoadGenerator, say: (m: string) => void): Promise<void> {
  for (const server of servers) {
    const pids = server.pids();
    const before = pids.map((pid) => cpuMs([pid]) ?? 0);
    await load.run(server.target, WARMUP_SECONDS);
    if (pids.length < 2) continue;
    const used = pids.map((pid, i) => (cpuMs([pid]) ?? 0) - before[i]!);
    const total = used.reduce((a, b) => a + b, 0) || 1;
    const shares = used.map((u) => Math.round((100 * u) / total));
    say(`${server.label}: CPU shared ${shares.map((s) => `${s}%`).join(" / ")} between its processes during warm-up`);
    if (Math.min(...shares) < 15) say(`WARNING: ${server.label}: one process did almost nothing; reusePort did not spread the connections`);
  }
}

async function alternateRounds(servers: Server[], load: LoadGenerator, postmaster: number | undefined, say: (m: string) => void): Promise<Map<Server, Round[]>> {
  const rounds = new Map<Server, Round[]>(servers.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < servers.length; k++) {
      const server = servers[(round + k) % servers.length]!; // rotate who goes first
      const measured = await measureRound(server, load, postmaster);
      rounds.get(server)!.push(measured);
      say(`  round ${round + 1}  ${server.label.padEnd(22)} ${describe(measured)}`);
      if (measured.firstFailure) say(`    first failure: ${measured.firstFailure}`);
    }
  }
  return rounds;
}

async function measureProductsList(env: BenchEnv, load: LoadGenerator): Promise<string[]> {
  const { say } = env;
  const seeded = await seedCatalogue(env);
  // The API processes take their environment from this one (src/server/processes.ts). The cache stays in
  // memory, as `bun run start` without REDIS_URL: one process is what this compares with the peer. (Two
  // processes in production share Redis; for this read-only load that would add the limiter's round trip.)
  const restoreEnvironment = lendEnvironment({ JWT_SECRET: seeded.jwtSecret, REDIS_URL: "" });
  const stops: (() => Promise<void>)[] = [];
  try {
    const one = await startApiGroup(env, 1);
    stops.push(one.stop);
    const two = await startApiGroup(env, 2);
    stops.push(two.stop);
    const peerStart = await startPeer(env);
    const peer = "peer" in peerStart ? peerStart.peer : undefined;
    const peerSkipped = "skipped" in peerStart ? `peer skipped: ${peerStart.skipped}` : "";
    if (peer) stops.push(peer.stop);
    else say(peerSkipped);

    const floor = await startFloor(env, seeded, "transaction");
    stops.push(floor.stop);

    const ours1 = ourServer("ours, 1 process", one, seeded.tenantKeys, seeded.accessToken);
    const ours2 = ourServer("ours, 2 processes", two, seeded.tenantKeys, seeded.accessToken);
    const theirs = peer && peerServer(peer, seeded.tenantKeys.length);
    const bare = ourServer("floor (no framework)", floor, seeded.tenantKeys);
    const servers = [ours1, ...(theirs ? [theirs] : []), bare, ours2];
    for (const server of servers) await checkAnswers(server);

    say(`load: ${load.name}; ${WARMUP_SECONDS} s warm-up, then ${ROUNDS} rounds x ${ROUND_SECONDS} s per server, alternating`);
    await warmUp(servers, load, say);
    const postmaster = await postmasterOf(env.ownerUrl);
    const rounds = await alternateRounds(servers, load, postmaster, say);
    const [a, b, f] = [ours1, ours2, bare].map((server) => summarise(rounds.get(server)!)) as [Summary, Summary, Summary];
    const p = theirs && summarise(rounds.get(theirs)!);
    const pgbench = peer && Bun.which("pgbench") ? await peer.pgbench(PGBENCH_SECONDS).catch((e: unknown) => `failed: ${e}`) : undefined;

    // Where ours spends what the floor does not: our request path without Hono and tRPC, beside ours and
    // the floor. Its own phase: with the peer and the two processes still up, its pools would pass
    // PostgreSQL's max_connections.
    for (const stop of [two.stop, ...(peer ? [peer.stop] : [])]) {
      await stop();
      stops.splice(stops.indexOf(stop), 1);
    }
    const tenancy = await startFloor(env, seeded, "tenancy");
    stops.push(tenancy.stop);
    const withoutFramework = ourServer("ours without Hono, tRPC", tenancy, seeded.tenantKeys, seeded.accessToken);
    await checkAnswers(withoutFramework);
    say("the layers: ours, ours without Hono and tRPC, the floor");
    await warmUp([withoutFramework], load, say);
    const layerRounds = await alternateRounds([ours1, withoutFramework, bare], load, postmaster, say);
    const [a2, w, f2] = [ours1, withoutFramework, bare].map((server) => summarise(layerRounds.get(server)!)) as [Summary, Summary, Summary];

    const errors = [a, b, f, a2, w, f2].reduce((n, s) => n + s.errors, p?.errors ?? 0);
    return [
      ...(errors ? [`http: ${int(errors)} requests FAILED (first failures above): these figures are not comparable`] : []),
      `http products.list (${load.name}, ${ROUNDS} x ${ROUND_SECONDS} s rounds alternating, medians)`,
      `http products.list 1 process: ${describe(a)}; ` +
        (p ? `peer ${describe(p)}; ours/peer ${vsPeer(a, p)}` : peerSkipped),
      `http WORKERS=2: ${describe(b)} (${ratio(b.rps / a.rps)} one process; CPU and RSS over both processes)`,
      `http floor, our transaction with no framework (bench/floor-server.ts): ${describe(f)}; ours/floor req/s ${ratio(a.rps / f.rps)}` +
        (p ? `; floor/peer req/s ${ratio(f.rps / p.rps)}` : ""),
      `http server + PostgreSQL CPU per request: ${[bound("ours", a), ...(p ? [bound("peer", p)] : []), bound("floor", f)].join("; ")}`,
      `http layers (their own rounds): ours ${describe(a2)}; ours without Hono and tRPC (the same request path on Bun.serve) ${describe(w)}; floor ${describe(f2)}`,
      `http layers, server CPU per request: ours ${cpuOf(a2)}, without Hono and tRPC ${cpuOf(w)}, floor ${cpuOf(f2)}; req/s ours/without ${ratio(a2.rps / w.rps)}, without/floor ${ratio(w.rps / f2.rps)}`,
      ...(typeof pgbench === "number" ? [`http pgbench, the peer's transaction without HTTP (8 clients, ${PGBENCH_SECONDS} s): ${int(pgbench)} tps`] : []),
      ...(typeof pgbench === "string" ? [`http pgbench ${pgbench}`] : []),
    ];
  } finally {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => say(`stopping a server failed: ${e}`));
    restoreEnvironment();
  }
}

/**
 * One API process (WORKERS=1, memory cache) on a fresh catalogue, checked and
 * warmed up, handed to `measure`; stopped afterwards. `startEnvironment` is lent
 * while it starts (the profiler's options).
 */
export async function withWarmApi<T>(
  env: BenchEnv,
  load: LoadGenerator,
  measure: (ours: Server, postmaster: number | undefined) => Promise<T>,
  startEnvironment: Record<string, string> = {},
): Promise<T> {
  const seeded = await seedCatalogue(env);
  const restoreEnvironment = lendEnvironment({ JWT_SECRET: seeded.jwtSecret, REDIS_URL: "" });
  let group: ApiGroup | undefined;
  try {
    const restoreStart = lendEnvironment(startEnvironment);
    group = await startApiGroup(env, 1).finally(restoreStart);
    const ours = ourServer("ours, 1 process", group, seeded.tenantKeys, seeded.accessToken);
    await checkAnswers(ours);
    await load.run(ours.target, WARMUP_SECONDS);
    return await measure(ours, await postmasterOf(env.ownerUrl));
  } finally {
    await group?.stop();
    restoreEnvironment();
  }
}

const PROFILE_SECONDS = 20;

/**
 * BENCH_CPU_PROFILE=<dir>: instead of the comparison, one API process alone under
 * load, started with Bun's profiler on (`--cpu-prof-md`): the usual warm-up, then
 * PROFILE_SECONDS measured. It writes the Markdown profile into <dir> when it
 * stops; the profile covers the whole process, warm-up included. Alone, so that
 * the profile is of work: a process left waiting has its idle time charged to
 * whatever ran last. Only the API process gets the profiler (not a Bun load process).
 */
async function profileProductsList(env: BenchEnv, load: LoadGenerator, dir: string): Promise<string[]> {
  const profiler = { BUN_OPTIONS: `--cpu-prof-md --cpu-prof-dir=${dir}` };
  const profiled = await withWarmApi(env, load, (ours, postmaster) => measureRound(ours, load, postmaster, PROFILE_SECONDS), profiler);
  return [`http profile: ${describe(profiled)} over ${PROFILE_SECONDS} s; the API process's CPU profile (Markdown) is in ${dir}`];
}

export async function httpBench(env: BenchEnv): Promise<string[]> {
  const load = loadGenerator(CONCURRENCY);
  try {
    const profileDir = process.env.BENCH_CPU_PROFILE;
    if (profileDir) return await profileProductsList(env, load, profileDir);
    return [...(await measureProductsList(env, load)), ...(await inProcessHttpBench(env, load))];
  } finally {
    load.close();
  }
}
