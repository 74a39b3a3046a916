/**
 * The HTTP load generator of bench/http.ts when `wrk` is not installed: a
 * process of its own, so the client's work (fetch, parsing) never shares a
 * CPU budget or an event loop with the server it measures.
 *
 *   bun bench/load-process.ts <spec.json>   prints one LoadResult as JSON
 *
 * `concurrency` requests stay in flight for `seconds`; request i carries
 * headerSets[i % n], so the load rotates over the tenants like wrk's script does.
 */
import { readFileSync } from "node:fs";
import { percentile } from "./stats.ts";

export interface LoadSpec {
  url: string;
  headerSets: Record<string, string>[];
  concurrency: number;
  seconds: number;
}

export interface LoadResult {
  /** 2xx responses: the only ones a req/s figure may count. */
  ok: number;
  /** Responses that were not 2xx, plus requests that got no response. */
  errors: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** What the first failed request got back, so a run that measured errors says so. */
  firstFailure?: string;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let next = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const deadline = started + spec.seconds * 1000;
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < deadline) {
        const headers = spec.headerSets[next++ % spec.headerSets.length];
        const sent = performance.now();
        try {
          const response = await fetch(spec.url, { headers });
          const body = await response.text(); // drained, or the connection is not reused
          latencies.push(performance.now() - sent);
          if (response.ok) ok++;
          else {
            errors++;
            firstFailure ??= `HTTP ${response.status} ${body.slice(0, 200)}`;
          }
        } catch (error) {
          errors++;
          firstFailure ??= String(error);
        }
      }
    }),
  );
  const sorted = Float64Array.from(latencies).sort();
  return { ok, errors, seconds: (performance.now() - started) / 1000, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), firstFailure };
}

if (import.meta.main) {
  const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadSpec;
  console.log(JSON.stringify(await run(spec)));
}
