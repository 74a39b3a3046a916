/**
 * Property-based fuzzing of every procedure, generated from the router: a new
 * procedure is fuzzed without anyone writing a test for it. For each procedure,
 * as every kind of caller, inputs come from its zod schema (valid, then one
 * field or the whole input mutated: wrong types, boundaries, hostile strings,
 * huge and nested values, other businesses' ids) and go over the real HTTP
 * stack as superjson envelopes. What must hold for every case:
 *
 *   - no 5xx;
 *   - no answer to anyone but a super admin carries another business's data (B's markers);
 *   - a mutation that failed changed no row (a row trigger logs every committed change);
 *   - text the database could not store as sent (an unpaired surrogate) is never silently altered.
 *
 * Each procedure first gets its systematic cases (a valid input, then every field
 * set to each kind of trouble in turn, as the procedure's own kind of caller),
 * then FUZZ_RUNS random ones (default 50; raise it to fuzz longer locally) from
 * a fixed seed (printed; FUZZ_SEED replays another run).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import superjson from "superjson";
import { app } from "../setup/harness.ts";
import { appProcedures, type ProcedureInfo } from "../setup/procedures.ts";
import { arena, cast, CALLER_KINDS, foreignBusiness, writeLog, type Arena, type Cast, type CallerKind, type Foreign } from "./arena.ts";
import { inputCases, systematicCases } from "./inputs.ts";

export const SEED = Number(Bun.env.FUZZ_SEED ?? 20_261_130);
export const RUNS = Number(Bun.env.FUZZ_RUNS ?? 50);

/** Tables a failed call may still change on purpose: its bookkeeping commits although the call fails. */
const WRITES_ON_FAILURE: Record<string, string[]> = {
  "auth.login": ["auth_throttle"], // the failure counter
  "auth.register": ["auth_throttle"],
  "auth.refresh": ["sessions", "refresh_tokens"], // a reused refresh token revokes its session
};

/**
 * Procedures that hash or verify a password on every well-formed call (argon2id,
 * slow on purpose) get a fifth of the random cases, so the whole fuzz stays
 * within about a minute; their systematic cases are all run.
 */
const PASSWORD_HASHING = new Set(["auth.login", "auth.register"]);
const runsFor = (procedure: ProcedureInfo) => (PASSWORD_HASHING.has(procedure.path) ? Math.ceil(RUNS / 5) : RUNS);

let users: Cast;
let foreign: Foreign;
let log: Awaited<ReturnType<typeof writeLog>>;
let cases = 0;

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} cases per procedure (FUZZ_SEED=${SEED} replays this run; FUZZ_RUNS fuzzes longer)`);
  [users, foreign] = await Promise.all([cast(), foreignBusiness()]);
  log = await writeLog();
}, 60_000);

afterAll(async () => {
  await log?.drop();
  console.log(`fuzz: ${cases} generated procedure calls`);
});

interface Answer {
  status: number;
  text: string;
}

/** superjson's envelope, or for what superjson refuses to write (a "__proto__" key) the one a hand-written client would send. */
function envelopeOf(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input });
  }
}

/** One call over the HTTP stack, as a client would send it: GET ?input= for queries, a POST body for mutations. */
async function send(procedure: ProcedureInfo, a: Arena, caller: CallerKind, input: unknown): Promise<Answer> {
  const who = a.callers[caller];
  const headers: Record<string, string> = { "x-tenant-id": a.tenant.tenantKey, ...(who ? { authorization: `Bearer ${who.token}` } : {}) };
  const envelope = input === undefined ? undefined : envelopeOf(input);
  const url = new URL(`http://api.desibazaar.test/trpc/${procedure.path}`);
  let init: RequestInit = { headers };
  if (procedure.type === "query") {
    if (envelope !== undefined) url.searchParams.set("input", envelope);
  } else {
    init = { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: envelope };
  }
  const res = await app.fetch(new Request(url.toString(), init));
  return { status: res.status, text: await res.text() };
}

/** Whether any string in `value` holds an unpaired surrogate. */
function hasLoneSurrogate(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return !value.isWellFormed();
  if (!value || typeof value !== "object" || depth > 20) return false;
  return Object.values(value).some((v) => hasLoneSurrogate(v, depth + 1));
}

function check(procedure: ProcedureInfo, caller: CallerKind, input: unknown, answer: Answer, changed: string[]): void {
  const said = `${procedure.path} as ${caller} answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status >= 500) throw new Error(`a 5xx: ${said}`);
  if (caller !== "superAdmin") {
    const request = envelopeOf(input ?? null);
    const leaked = foreign.markers.filter((m) => answer.text.includes(m) && !request.includes(m));
    if (leaked.length) throw new Error(`another business's data (${leaked.join(", ")}) in: ${said}`);
  }
  if (answer.status === 200 && hasLoneSurrogate(input) && answer.text.includes("\ufffd")) throw new Error(`an unpaired surrogate was stored as U+FFFD: ${said}`);
  const allowed = WRITES_ON_FAILURE[procedure.path] ?? [];
  const unexpected = changed.filter((t) => !allowed.includes(t));
  if (unexpected.length) throw new Error(`a failed mutation changed rows of ${unexpected.join(", ")}: ${said}`);
}

const procedures = appProcedures();

/** The caller a procedure of each kind is for: most cases use it, so they reach past the door. */
const MAIN_CALLER: Record<ProcedureInfo["kind"], CallerKind> = { public: "anonymous", authed: "owner", tenant: "owner", customer: "customer", admin: "superAdmin" };

/** Every kind of caller, the procedure's own four times as often. */
const callers = (procedure: ProcedureInfo) =>
  fc.oneof({ arbitrary: fc.constant(MAIN_CALLER[procedure.kind]), weight: 4 }, { arbitrary: fc.constantFrom(...CALLER_KINDS), weight: 6 });

describe("fuzz: every procedure, every kind of caller", () => {
  test("the router has procedures to fuzz", () => expect(procedures.length).toBeGreaterThan(30));

  procedures.forEach((procedure, index) => {
    test(`${procedure.path} (${procedure.kind} ${procedure.type})`, async () => {
      const a = await arena(users, foreign);
      const property = fc.asyncProperty(callers(procedure), inputCases(procedure.input, a.known), async (caller, { input }) => {
        // The arena's business is on the enterprise plan (60,000 requests a minute): the fuzz never meets the rate limit.
        cases++;
        const mark = procedure.type === "mutation" ? await log.mark() : 0;
        const answer = await send(procedure, a, caller, input);
        const changed = procedure.type === "mutation" && answer.status !== 200 ? await log.since(mark) : [];
        check(procedure, caller, input, answer, changed);
      });
      // First every field with every kind of trouble (as the procedure's own caller), then the random cases.
      const examples = systematicCases(procedure.input, a.own, SEED + index).map((c) => [MAIN_CALLER[procedure.kind], c] as [CallerKind, typeof c]);
      await fc.assert(property, { seed: SEED + index, numRuns: runsFor(procedure) + examples.length, examples });
    }, 120_000);
  });

  test("the write log saw the changes the successful mutations committed (so its silence about failed ones means something)", async () => {
    expect(await log.since(0)).toEqual(expect.arrayContaining(["products", "categories", "audit_log"]));
  });
});
