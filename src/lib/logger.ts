/**
 * JSON logs (pino). Every line carries requestId, tenantId and userId from the
 * request context, and secrets are redacted by key wherever they appear.
 */
import pino from "pino";
import { env } from "../env.ts";
import { postgresErrorOf } from "./errors.ts";

const SECRET_KEYS = [
  "password",
  "newPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "authorization",
  "cookie",
  "secret",
  "apiKey",
  "credentials",
  "masterKey",
];

export const redactPaths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** What a PostgreSQL error may show in the log: where it happened, never a value. */
const DATABASE_FIELDS = { code: "sqlState", constraint_name: "constraint", table_name: "table", schema_name: "schema", column_name: "column", data_type: "dataType", routine: "routine" } as const;

/** The call frames of a stack, without its first line (which repeats the message). */
const framesOf = (error: Error) => error.stack?.split("\n").filter((line) => /^\s+at /.test(line)).join("\n");

/**
 * Errors as the log shows them. A database error is reduced to its SQLSTATE,
 * constraint, table and column: the driver's message and detail can quote the
 * values (an e-mail, a password hash), and drizzle's wrapper puts the statement
 * and every parameter in its message. Other errors keep message, stack and cause.
 */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  const pg = postgresErrorOf(error) as Record<string, unknown> | undefined;
  if (pg) {
    const fields = Object.entries(DATABASE_FIELDS).filter(([from]) => pg[from] !== undefined).map(([from, to]) => [to, pg[from]]);
    return { type: "DatabaseError", ...Object.fromEntries(fields), stack: error instanceof Error ? framesOf(error) : undefined };
  }
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const statementInMessage = error.constructor.name === "DrizzleQueryError";
  return {
    type: error.constructor.name,
    message: statementInMessage ? "a query failed (its statement and parameters are not logged)" : error.message,
    stack: statementInMessage ? framesOf(error) : error.stack,
    ...(error.cause !== undefined && depth < 5 ? { cause: serializeError(error.cause, depth + 1) } : {}),
  };
}

/** A one-line description of an error that is safe to show or store (see serializeError). */
export function describeError(error: unknown): string {
  const { type, message, sqlState, constraint } = serializeError(error);
  return type === "DatabaseError" ? `database error ${sqlState}${constraint ? ` (${constraint})` : ""}` : String(message);
}

/** What every log line says about the work in progress (tenancy's RequestContext). */
export interface LogContext {
  readonly requestId?: string;
  readonly tenantId?: number;
  readonly userId?: number;
}

let readContext: () => LogContext | undefined = () => undefined;

/**
 * Where log lines find their request context. The context lives in
 * tenancy/request-context.ts, which hands its reader over here when it loads:
 * lib/ never imports from the layers above it, and no context can exist before
 * that module has loaded (it is the only way to set one).
 */
export function readLogContextFrom(read: () => LogContext | undefined): void {
  readContext = read;
}

export const logger = pino(
  {
    level: env.LOG_LEVEL,
    serializers: { err: serializeError },
    base: undefined,
    redact: { paths: redactPaths, censor: "[redacted]" },
    mixin() {
      const ctx = readContext();
      return ctx ? { requestId: ctx.requestId, tenantId: ctx.tenantId, userId: ctx.userId } : {};
    },
  },
  // Synchronous writes: an asynchronous file destination throws at process.exit()
  // before it has opened, which turned every short command's exit code into 1.
  env.LOG_FILE ? pino.destination({ dest: env.LOG_FILE, append: true, mkdir: true, sync: true }) : pino.destination(1),
);
