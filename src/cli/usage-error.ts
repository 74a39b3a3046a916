/** Wrong use of the command (exit 2), as opposed to an operation that failed (exit 1). */
export class UsageError extends Error {}
