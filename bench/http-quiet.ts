/**
 * `bun run bench http-quiet`: one API process's first round after a quiet
 * stretch longer than the plan entries' TTL (TTL.SHORT), against its steady
 * rounds just before. What a quiet minute used to cost that round:
 *
 *   - the pools' connections, closed after 30 s idle and opened again under load
 *     (the handshake, a backend's cold catalogue caches, our statements
 *     prepared again): kept five minutes now (src/db/client.ts);
 *   - every business's plan entry, past its minute: its first request waited
 *     for a platform lookup, 1,000 at once; now answered stale while one
 *     background lookup replaces it (src/tenancy/rate-policy.ts).
 */
import { TTL } from "../src/tenancy/cache.ts";
import type { BenchEnv } from "./env.ts";
import { CONCURRENCY, ROUND_SECONDS, describe, measureRound, withWarmApi } from "./http.ts";
import { loadGenerator } from "./http-load.ts";
import { median, ratio } from "./stats.ts";

const STEADY_ROUNDS = 2;
/** Past every plan entry's TTL, with a margin for the round before it. */
const QUIET_SECONDS = TTL.SHORT + 5;

export async function httpQuietBench(env: BenchEnv): Promise<string[]> {
  const { say } = env;
  const load = loadGenerator(CONCURRENCY);
  try {
    say(`${load.name}: warm-up, ${STEADY_ROUNDS} steady rounds, ${QUIET_SECONDS} s without a request, one more round`);
    const { steady, after } = await withWarmApi(env, load, async (ours, postmaster) => {
      const steady = [];
      for (let i = 0; i < STEADY_ROUNDS; i++) {
        steady.push(await measureRound(ours, load, postmaster));
        say(`  steady round ${i + 1}  ${describe(steady.at(-1)!)}`);
      }
      say(`  quiet for ${QUIET_SECONDS} s`);
      await Bun.sleep(QUIET_SECONDS * 1000);
      const after = await measureRound(ours, load, postmaster);
      say(`  after the quiet stretch  ${describe(after)}`);
      return { steady, after };
    });
    const steadyP99 = median(steady.map((r) => r.p99Ms));
    const errors = after.errors + steady.reduce((n, r) => n + r.errors, 0);
    return [
      ...(errors ? [`http-quiet: ${errors} requests FAILED: these figures are not comparable`] : []),
      `http-quiet products.list, first ${ROUND_SECONDS} s after ${QUIET_SECONDS} s without a request: p99 ${after.p99Ms.toFixed(1)} ms against ${steadyP99.toFixed(1)} ms steady (${ratio(after.p99Ms / steadyP99)}), ${Math.round(after.rps)} req/s against ${Math.round(median(steady.map((r) => r.rps)))}`,
    ];
  } finally {
    load.close();
  }
}
