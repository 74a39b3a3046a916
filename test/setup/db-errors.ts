/** Database errors as tests look at them: the SQLSTATE (src/lib/errors.ts finds the driver's error) and its message. */
import { postgresErrorOf } from "../../src/lib/errors.ts";

/** The SQLSTATE of a postgres.js error, also when drizzle wrapped it (DrizzleQueryError.cause). */
export function sqlState(error: unknown): string | undefined {
  return postgresErrorOf(error)?.code;
}

/** The message of the database error inside `error` (the first error in its cause chain that carries a code). */
function messageOf(error: unknown): string {
  let e = error as { cause?: unknown; message?: string };
  while (e.cause && typeof (e as { code?: unknown }).code !== "string") e = e.cause as typeof e;
  return String(e.message);
}

/** Awaits `p`, which must reject; returns the SQLSTATE and message of the database error. */
export async function dbError(p: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await p;
  } catch (error) {
    return { code: sqlState(error), message: messageOf(error) };
  }
  throw new Error("expected the database to refuse this, but it succeeded");
}

/** What one statement came to: its rows (and the driver's row count), or the SQLSTATE and message it failed with. */
export interface Outcome {
  rows?: Record<string, unknown>[];
  count?: number;
  code?: string;
  message?: string;
}

/**
 * Awaits a statement that may be refused. Run it in a savepoint
 * (`db.transaction(() => db.execute(q))`) when an expected error must not
 * abort the surrounding transaction.
 */
export async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    const result = (await p) as Record<string, unknown>[] & { count?: number };
    return { rows: [...result], count: result.count };
  } catch (error) {
    return { code: sqlState(error), message: messageOf(error) };
  }
}

/** An outcome reduced to its rows or its SQLSTATE, for comparing whole outcomes. */
export const rowsOrCode = async (p: Promise<unknown>): Promise<{ rows?: Record<string, unknown>[]; code?: string }> => {
  const o = await outcome(p);
  return o.rows ? { rows: o.rows } : { code: o.code };
};
