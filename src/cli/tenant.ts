/**
 * `bun run tenant <verb> [args] [options]`: the operator CLI for tenants.
 * Exit codes: 0 done, 1 the operation failed (the message says why), 2 wrong use
 * of the command (unknown verb or option, missing argument). `--json` prints the
 * result as JSON on stdout; otherwise a short human-readable summary.
 */
import { parseArgs } from "node:util";
import { DomainError, postgresErrorOf } from "../lib/errors.ts";
import { openDatabase } from "./database.ts";
import { UsageError, VERBS, type Values } from "./tenant-verbs.ts";

const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const;

function usage(): string {
  const width = Math.max(...Object.keys(VERBS).map((v) => v.length));
  return [
    "usage: bun run tenant <verb> [arguments] [options]",
    "",
    "verbs:",
    ...Object.entries(VERBS).map(([name, v]) => `  ${name.padEnd(width)}  ${v.summary}`),
    "",
    "options for every verb: --json (print the result as JSON), --help (this text, or a verb's own with `<verb> --help`)",
    "database: DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR (reused if `bun run start` is running)",
  ].join("\n");
}

function verbUsage(name: string): string {
  const verb = VERBS[name]!;
  const flags = Object.entries(verb.options).map(([opt, o]) => [`--${opt}${o.type === "string" ? " <value>" : ""}`, o.help] as const);
  const width = Math.max(0, ...flags.map(([flag]) => flag.length));
  const lines = flags.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`);
  return [`usage: bun run tenant ${name} ${verb.args}`.trimEnd(), "", verb.summary, ...(lines.length ? ["", "options:", ...lines] : [])].join("\n");
}

/** One line per business for `list`, a key=value line for everything else. */
function humanReadable(name: string, result: unknown): string {
  if (name === "list" && Array.isArray(result)) {
    if (!result.length) return "no businesses";
    return result
      .map((t: Record<string, unknown>) => `${String(t.businessId).padStart(6)}  ${String(t.status).padEnd(9)}  ${t.tenantKey}  ${t.slug}  ${t.name}`)
      .join("\n");
  }
  const line = (item: Record<string, unknown>) =>
    Object.entries(item)
      .map(([k, v]) => `${k}=${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
      .join(" ");
  if (Array.isArray(result)) return result.map((item) => `\n  ${line(item as Record<string, unknown>)}`).join("");
  if (result && typeof result === "object") return line(result as Record<string, unknown>);
  return String(result);
}

function describeFailure(error: unknown): string {
  if (error instanceof DomainError || error instanceof UsageError) return error.message;
  // A database that was never migrated: say what to do rather than "relation does not exist".
  if (postgresErrorOf(error)?.code === "42P01") return "the database is not set up: run `bun run db:migrate` first";
  return error instanceof Error ? error.message : String(error);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const verb = VERBS[name];
  if (!verb) {
    console.error(`error: unknown verb "${name}"\n\n${usage()}`);
    return 2;
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...verb.options }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${verbUsage(name)}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(verbUsage(name));
    return 0;
  }
  const json = parsed.values.json === true;
  // With --json, stdout carries only the result; anything said along the way goes to stderr.
  const say = (line: string) => (json ? console.error(line) : console.log(line));

  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    db = await openDatabase();
    const result = await verb.run({ scopes: db.deps.scopes, args: parsed.positionals, values: parsed.values, say });
    console.log(json ? JSON.stringify(result, null, 2) : `${name}: ${humanReadable(name, result)}`);
    return 0;
  } catch (error) {
    console.error(`error: ${describeFailure(error)}`);
    if (error instanceof UsageError) console.error(`\n${verbUsage(name)}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await db?.close().catch(() => {});
  }
}

/**
 * Ends by letting the event loop drain rather than process.exit(): with LOG_FILE
 * set, pino opens its file asynchronously, and exiting before that open completes
 * makes its exit hook throw (and the exit code 1). The unref'd timer only fires if
 * something still holds the loop open.
 */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 5_000).unref();
}

main(process.argv.slice(2)).then(finish, (error) => {
  console.error(`error: ${describeFailure(error)}`);
  finish(1);
});
