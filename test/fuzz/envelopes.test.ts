/**
 * Fuzzing what arrives before any procedure runs: HTTP methods, content types,
 * batches, headers, bodies that are not JSON, and superjson envelopes with
 * arbitrary `meta`. Every procedure path of the router (and unknown ones) is a
 * target. What must hold: no 5xx, and a refusal speaks in our words (no
 * library text, no stack frames). Same seed and FUZZ_RUNS as procedures.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { shop, type Principal, type TestTenant } from "../setup/fixtures.ts";
import { app } from "../setup/harness.ts";
import { appProcedures } from "../setup/procedures.ts";

const SEED = Number(Bun.env.FUZZ_SEED ?? 20_261_130);
const RUNS = Number(Bun.env.FUZZ_RUNS ?? 50) * 10;

/** Text that is some library's or engine's, not ours. */
const LIBRARY_TEXT = /is not a function|Maximum call stack|identicalPaths|forEach|JSON Parse error|Unexpected token|undefined is not|Cannot read propert|is not an object|\n\s+at \S/i;

let owner: Principal;
let tenant: TestTenant;
let cases = 0;
beforeAll(async () => ({ owner, tenant } = await shop()), 30_000);
afterAll(() => console.log(`fuzz: ${cases} generated malformed requests`));

const procedures = appProcedures();
const paths = [...procedures.map((p) => p.path), "no.such.procedure", "auth.login,auth.me", "", "%2e%2e/health"];
const meta = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      values: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.string(), fc.array(fc.constantFrom("Date", "undefined", "number", "map", "set", "bigint", "regexp", "class", "custom"), { maxLength: 3 }))),
      referentialEqualities: fc.jsonValue({ maxDepth: 4 }),
      v: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
);
const envelope = fc.record({ json: fc.jsonValue({ maxDepth: 4 }), meta }, { requiredKeys: [] }).map((e) => JSON.stringify(e));
const body = fc.oneof(
  envelope,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("", "{", "[".repeat(50_000), `{"json":${"[".repeat(20_000)}1${"]".repeat(20_000)}}`, "null", "\u0000"),
);
/** Mostly a request the transport accepts (right method, JSON, the caller's token and business), so the body is what gets judged. */
const wellSent = fc.constantFrom(...procedures).map((p) => ({
  path: p.path,
  method: p.type === "query" ? "GET" : "POST",
  contentType: "application/json" as string | undefined,
  authorization: "own" as string | undefined,
  tenantHeader: "own" as string | undefined,
}));
const anyHow = fc.record({
  path: fc.constantFrom(...paths),
  method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
  contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined),
  authorization: fc.constantFrom<string | undefined>(undefined, "own", "Bearer ", "Bearer a b", "Basic eDp5", `Bearer ${"x".repeat(5000)}`),
  tenantHeader: fc.oneof(fc.constant<string | undefined>(undefined), fc.constant("own"), fc.stringMatching(/^[\x21-\x7e]{1,80}$/)),
});
const request = fc
  .tuple(fc.oneof({ arbitrary: wellSent, weight: 3 }, { arbitrary: anyHow, weight: 1 }), fc.integer({ min: 0, max: 4 }), body)
  .map(([transport, batch, text]) => ({ ...transport, batch: batch === 0, body: text }));

describe("fuzz: malformed HTTP requests and envelopes", () => {
  test("no 5xx, and refusals in our words", async () => {
    console.log(`fuzz: seed ${SEED}, ${RUNS} malformed requests`);
    const property = fc.asyncProperty(request, async (r) => {
      cases++;
      const url = new URL(`http://api.desibazaar.test/trpc/${r.path}`);
      if (r.batch) url.searchParams.set("batch", "1");
      const input = r.batch ? JSON.stringify({ 0: JSON.parse(safeJson(r.body)), 1: null }) : r.body;
      const headers: Record<string, string> = {};
      if (r.contentType) headers["content-type"] = r.contentType;
      if (r.authorization) headers.authorization = r.authorization === "own" ? `Bearer ${owner.token}` : r.authorization;
      if (r.tenantHeader) headers["x-tenant-id"] = r.tenantHeader === "own" ? tenant.tenantKey : r.tenantHeader;
      const withBody = r.method !== "GET";
      if (!withBody) url.searchParams.set("input", input);
      const res = await app.fetch(new Request(url.toString(), { method: r.method, headers, body: withBody ? input : undefined }));
      const text = await res.text();
      if (res.status >= 500) throw new Error(`a 5xx for ${r.method} ${url.pathname}${url.search.slice(0, 200)}: ${text.slice(0, 300)}`);
      if (res.status >= 400 && LIBRARY_TEXT.test(text)) throw new Error(`library text in a refusal: ${text.slice(0, 300)}`);
    });
    await fc.assert(property, { seed: SEED, numRuns: RUNS });
    expect(cases).toBeGreaterThanOrEqual(RUNS);
  }, 120_000);
});

/** `text` if it is JSON, else the JSON string of it (a batch input is a JSON object of inputs). */
function safeJson(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}
