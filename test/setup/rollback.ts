/** Work done in a scope and rolled back afterwards: probes that must leave no data behind. */

/** Thrown out of a transaction to roll it back, carrying what the work returned. */
export class Rollback {
  constructor(readonly value: unknown) {}
}

/**
 * Runs `fn` in the transaction `open` starts, then rolls that transaction back
 * (by throwing out of it) and returns what `fn` returned. Any other error passes through.
 */
export async function rolledBack<S, T>(open: (fn: (scope: S) => Promise<never>) => Promise<unknown>, fn: (scope: S) => Promise<T>): Promise<T> {
  try {
    await open(async (scope) => {
      throw new Rollback(await fn(scope));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error("unreachable");
}
