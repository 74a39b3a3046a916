/**
 * Domain errors. Services throw these; src/trpc/errors.ts is the one place
 * that turns them into tRPC codes. Messages are shown to callers, so they
 * never contain secrets.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A row that does not exist, or belongs to another tenant (no existence oracle). */
export class NotFoundError extends DomainError {}
/** Authenticated, but not allowed: not a member, wrong role, suspended tenant. */
export class ForbiddenError extends DomainError {}
/** No usable credentials: missing, bad, expired or revoked token. */
export class UnauthorizedError extends DomainError {}
/** Input the schema accepted but the domain refuses. */
export class ValidationError extends DomainError {}
/** A uniqueness or state conflict: duplicate e-mail, overlapping booking. */
export class ConflictError extends DomainError {}
/** Too many attempts in a window (login throttling, request rate). */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
/** Content of a type the operation does not take (an upload whose bytes are not an allowed type). */
export class UnsupportedMediaTypeError extends DomainError {}
/** A service the operation needs is down (search while Meilisearch is unreachable); the rest of the API keeps working. */
export class ServiceUnavailableError extends DomainError {}
/** A plan or quota limit; the message names the limit and the current usage. */
export class LimitExceededError extends DomainError {
  constructor(
    message: string,
    readonly kind: "plan" | "storage" = "plan",
  ) {
    super(message);
  }
}

/**
 * The PostgresError behind `error`, however it was wrapped: drizzle throws a
 * DrizzleQueryError whose `cause` is the driver's error.
 */
export function postgresErrorOf(error: unknown): { code: string; constraint_name?: string } | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e.constructor?.name === "PostgresError" && typeof (e as { code?: unknown }).code === "string") {
      return e as { code: string; constraint_name?: string };
    }
  }
  return undefined;
}
