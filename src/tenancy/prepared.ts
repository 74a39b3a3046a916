/**
 * A drizzle query built once per process, then run with placeholder values on
 * the transaction of whichever scope calls it. drizzle spends about 0.1 ms of
 * CPU building a select's SQL; a hot procedure that runs the same shape on every
 * request need not pay it each time. The statement is prepared once per
 * connection by postgres.js as well.
 *
 * drizzle binds a prepared query to the client it was built on; each call here
 * makes a copy bound to the calling scope's own connection (the guarded one of
 * src/tenancy/transaction.ts), so the query still runs inside that scope's
 * transaction, under its signed context, and nowhere else.
 */
import type { ScopedDb } from "./transaction.ts";

interface PreparedQuery<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

export function preparedQuery<R>(name: string, build: (db: ScopedDb) => { prepare(name: string): PreparedQuery<R> }) {
  let template: PreparedQuery<R> | undefined;
  return (db: ScopedDb, values: Record<string, unknown>): Promise<R> => {
    template ??= build(db).prepare(name);
    // Everything but the client comes from the template (query text, parameters, field mapping).
    const bound = Object.create(template) as PreparedQuery<R> & { client: unknown };
    bound.client = (db as unknown as { $client: unknown }).$client;
    return bound.execute(values);
  };
}
