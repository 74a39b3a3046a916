/** Database errors as tests look at them: the SQLSTATE (src/lib/errors.ts finds the driver's error) and its message. */
import { postgresErrorOf } from "../../src/lib/errors.ts";

/** The SQLSTATE of a postgres.js error, also when drizzle wrapped it (DrizzleQueryError.cause). */
export function sqlState(error: unknown): string | undefined {
  return postgresErrorOf(error)?.code;
}

/** Awaits `p`, which must reject; returns the SQLSTATE and message of the database error. */
export async function dbError(p: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await p;
  } catch (error) {
    let e = error as { cause?: unknown; message?: string };
    while (e.cause && typeof (e as { code?: unknown }).code !== "string") e = e.cause as typeof e;
    return { code: sqlState(error), message: String(e.message) };
  }
  throw new Error("expected the database to refuse this, but it succeeded");
}
