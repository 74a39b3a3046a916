/**
 * HTTP load from a process of its own, never from inside the measured one:
 * `wrk` when it is installed (C, one thread, next to no CPU per request),
 * otherwise bench/load-process.ts on Bun. Both keep `concurrency` requests in
 * flight on keep-alive connections, rotate the request headers (one set per
 * tenant), and count every non-2xx response or failed request as an error.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "bun";
import { drainable } from "../src/server/serve.ts";
import type { LoadResult, LoadSpec } from "./load-process.ts";

export type { LoadResult } from "./load-process.ts";

export interface LoadTarget {
  url: string;
  /** Request i carries headerSets[i % n]. */
  headerSets: Record<string, string>[];
}

export interface LoadGenerator {
  /** Which generator runs: printed, since their own costs differ. */
  name: string;
  run(target: LoadTarget, seconds: number): Promise<LoadResult>;
  close(): void;
}

export function loadGenerator(concurrency: number): LoadGenerator {
  const dir = mkdtempSync(join(tmpdir(), "desibazaar-load-"));
  const close = () => rmSync(dir, { recursive: true, force: true });
  const wrk = Bun.which("wrk");
  return wrk ? wrkGenerator(wrk, dir, concurrency, close) : bunGenerator(dir, concurrency, close);
}

function wrkGenerator(wrk: string, dir: string, concurrency: number, close: () => void): LoadGenerator {
  const scripts = new Map<LoadTarget, string>();
  return {
    name: `wrk -t1 -c${concurrency}`,
    close,
    async run(target, seconds) {
      let script = scripts.get(target);
      if (!script) {
        script = join(dir, `target-${scripts.size}.lua`);
        writeFileSync(script, rotatingLua(target.headerSets));
        scripts.set(target, script);
      }
      // wrk drops a response slower than --timeout (default 2 s) from its latencies and calls it an
      // error: on a loaded 2-core machine that hides the tail p99 is there to show.
      const args = [wrk, "-t1", `-c${concurrency}`, `-d${seconds}s`, "--timeout", "10s", "--latency", "-s", script, target.url];
      const child = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      if (code !== 0) throw new Error(`wrk exited with ${code}: ${err.trim() || out.trim()}`);
      return parseWrk(out);
    },
  };
}

/** A wrk script that sends request i with headerSets[i % n] (a Lua array of header tables). */
function rotatingLua(headerSets: Record<string, string>[]): string {
  // JSON string literals are Lua string literals as long as they hold printable ASCII only.
  const literal = (s: string) => {
    if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`header text outside printable ASCII: ${JSON.stringify(s)}`);
    return JSON.stringify(s);
  };
  const sets = headerSets.map((h) => `{${Object.entries(h).map(([k, v]) => `[${literal(k)}]=${literal(v)}`).join(",")}}`);
  return [
    `local sets = {\n${sets.join(",\n")}\n}`,
    "local i = 0",
    "request = function()",
    "  i = i + 1",
    "  return wrk.format(nil, nil, sets[(i % #sets) + 1])",
    "end",
    "",
  ].join("\n");
}

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const toMs = (value: string, unit: string) => Number(value) * MS_PER_UNIT[unit]!;

/** The figures of `wrk --latency` output; throws on output it does not recognise rather than report zeros. */
export function parseWrk(out: string): LoadResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m|h),/.exec(out);
  const p50 = /^\s*50(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$/m.exec(out);
  const p99 = /^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$/m.exec(out);
  if (!total || !p50 || !p99) throw new Error(`unexpected wrk output:\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
  // wrk's "Non-2xx or 3xx" counts every status >= 400; a 3xx is no answer either, but none of our routes redirects.
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const responses = Number(total[1]);
  return {
    ok: responses - non2xx,
    errors: non2xx + socketErrors,
    seconds: toMs(total[2]!, total[3]!) / 1000,
    p50Ms: toMs(p50[1]!, p50[2]!),
    p99Ms: toMs(p99[1]!, p99[2]!),
    firstFailure: non2xx || socketErrors ? `wrk: ${non2xx} non-2xx responses, socket errors ${socket?.slice(1).join("/") ?? "none"} (connect/read/write/timeout)` : undefined,
  };
}

function bunGenerator(dir: string, concurrency: number, close: () => void): LoadGenerator {
  const loader = join(import.meta.dir, "load-process.ts");
  let specs = 0;
  return {
    name: `bun bench/load-process.ts, ${concurrency} in flight (wrk is not installed)`,
    close,
    async run(target, seconds) {
      const file = join(dir, `spec-${specs++}.json`);
      writeFileSync(file, JSON.stringify({ ...target, concurrency, seconds } satisfies LoadSpec));
      const child = Bun.spawn(["bun", loader, file], { stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      if (code !== 0) throw new Error(`load process exited with ${code}: ${err.trim()}`);
      return JSON.parse(out) as LoadResult;
    },
  };
}

/**
 * A server on loopback for a benchmark's target. Its stop() also waits for the
 * handlers the load generator abandoned at the end of a round
 * (src/server/serve.ts's drainable), so the pools can close after it quietly.
 */
export function serveOnLoopback(
  fetch: (request: Request, server: Server<undefined>) => Response | Promise<Response>,
  maxRequestBodySize?: number,
): { port: number; stop(): Promise<void> } {
  const handlers = drainable(fetch);
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handlers.fetch, ...(maxRequestBodySize ? { maxRequestBodySize } : {}) });
  return {
    port: server.port!,
    async stop() {
      await server.stop();
      await handlers.drained(5_000);
    },
  };
}
