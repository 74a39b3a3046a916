/**
 * The one place domain and database errors become tRPC codes. Anything not
 * recognised is an INTERNAL_SERVER_ERROR whose message is generic and names the
 * request id; the details go only to the log.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { z, ZodError } from "zod";
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  postgresErrorOf,
} from "../lib/errors.ts";

function codeForDomainError(error: DomainError): TRPC_ERROR_CODE_KEY {
  if (error instanceof NotFoundError) return "NOT_FOUND";
  if (error instanceof ForbiddenError) return "FORBIDDEN";
  if (error instanceof UnauthorizedError) return "UNAUTHORIZED";
  if (error instanceof ValidationError) return "BAD_REQUEST";
  if (error instanceof ConflictError) return "CONFLICT";
  if (error instanceof RateLimitedError) return "TOO_MANY_REQUESTS";
  if (error instanceof UnsupportedMediaTypeError) return "UNSUPPORTED_MEDIA_TYPE";
  if (error instanceof ServiceUnavailableError) return "SERVICE_UNAVAILABLE";
  if (error instanceof LimitExceededError) return error.kind === "storage" ? "PAYLOAD_TOO_LARGE" : "FORBIDDEN";
  return "BAD_REQUEST";
}

/** PostgreSQL SQLSTATEs that are the caller's doing, not ours. */
const PG_CODES: Record<string, [TRPC_ERROR_CODE_KEY, string]> = {
  "23505": ["CONFLICT", "That already exists"],
  "23P01": ["CONFLICT", "That conflicts with an existing entry"],
  "23514": ["BAD_REQUEST", "A value is out of range"],
  "22P02": ["BAD_REQUEST", "A value has the wrong format"],
  "22003": ["BAD_REQUEST", "A number is out of range"],
  "22001": ["BAD_REQUEST", "A value is too long"],
  // Row-level security refused a write: to the caller that row does not exist.
  "42501": ["NOT_FOUND", "Not found"],
};

export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof DomainError) return new TRPCError({ code: codeForDomainError(cause), message: cause.message, cause });
  const sqlState = postgresErrorOf(cause)?.code;
  if (sqlState && PG_CODES[sqlState]) {
    const [code, message] = PG_CODES[sqlState]!;
    return new TRPCError({ code, message, cause });
  }
  return error;
}

export function zodErrorData(cause: unknown) {
  if (!(cause instanceof ZodError)) return null;
  return { issues: cause.issues, ...z.flattenError(cause) };
}

/**
 * The message a client sees for an error that is not internal. A refusal whose
 * cause is some library's error (JSON.parse, superjson: tRPC turns whatever
 * reading the input threw into BAD_REQUEST with that error's text) says so in
 * our words: library text and source snippets never reach clients.
 */
export function clientMessage(error: TRPCError): string {
  const cause = error.cause;
  if (cause === undefined || cause instanceof DomainError || cause instanceof ZodError || postgresErrorOf(cause)) return error.message;
  if (cause instanceof SyntaxError) return "Malformed request: the input is not valid JSON";
  return "Malformed request: the input could not be read";
}

export function genericMessage(requestId: string | undefined): string {
  return `Something went wrong on our side (request id ${requestId ?? "unknown"})`;
}

/** "Invalid input: email: must be an e-mail address; password: ..." */
export function zodSummary(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const parts = issues.slice(0, 5).map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message));
  return `Invalid input: ${parts.join("; ")}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ""}`;
}
