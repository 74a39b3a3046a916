/**
 * The one way work reaches PostgreSQL: a transaction on a reserved connection
 * whose context (tenant, user) is set with set_config(..., true), which is
 * transaction-local and so never leaks to the next user of the connection.
 *
 * Round trips: BEGIN and the context statement are pipelined ahead of the
 * first query, so begin + context + first query cost one round trip. A
 * read-only transaction (tRPC queries) sends COMMIT without waiting for it:
 * there is nothing to lose, and the next user of the connection queues
 * behind it on the same socket.
 */
import type postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Pool } from "../db/client.ts";
import { logger } from "../lib/logger.ts";

export type ReservedConnection = postgres.ReservedSql;
export type ScopedDb = PostgresJsDatabase;
export type ContextStatement = (conn: ReservedConnection) => postgres.PendingQuery<postgres.Row[]>;

export interface TransactionOptions {
  readOnly?: boolean;
}

const ignore = () => {};

/** Transaction-local context for a tenant id (or '' for none) and a user id. */
export const setContext =
  (tenantId: number | undefined, userId: number | undefined): ContextStatement =>
  (conn) =>
    conn`select set_config('app.current_tenant_id', ${tenantId === undefined ? "" : String(tenantId)}, true),
                set_config('app.current_user_id', ${userId === undefined ? "" : String(userId)}, true)`;

/**
 * The connection as fn sees it: refused once fn has settled. Without this, a
 * handle kept in a closure (or an un-awaited query) would run inside whatever
 * transaction holds the physical connection next, under another tenant.
 * BEGIN, the context, COMMIT and ROLLBACK use the raw connection.
 */
function closableConnection(conn: ReservedConnection, isOpen: () => boolean): ReservedConnection {
  const check = () => {
    if (!isOpen()) throw new Error("This scope's transaction has ended; its database handle cannot be used any more");
  };
  return new Proxy(conn, {
    apply(target, self, args) {
      check();
      return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, self, args);
    },
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "unsafe") {
        // drizzle sends its queries unprepared; postgres.js then waits for a Describe
        // round trip before each parameterised query, which breaks the pipeline
        // (BEGIN + context + first query in one round trip). Prepared, the
        // statement is described once per connection and pipelines from then on.
        return (query: string, args?: unknown[], options?: Record<string, unknown>) => {
          check();
          return target.unsafe(query, args as never, { ...options, prepare: true });
        };
      }
      if (typeof value !== "function" || !["begin", "savepoint", "file", "reserve"].includes(String(prop))) return value;
      return (...args: unknown[]) => {
        check();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Nested `db.transaction()` becomes a savepoint inside the scope's transaction. */
function withSavepoints(db: ScopedDb, conn: ReservedConnection): ScopedDb {
  let depth = 0;
  db.transaction = (async (fn: (tx: ScopedDb) => Promise<unknown>) => {
    const name = `sp_${++depth}`;
    await conn.unsafe(`savepoint ${name}`);
    try {
      const result = await fn(db);
      await conn.unsafe(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await conn.unsafe(`rollback to savepoint ${name}`);
      throw error;
    } finally {
      depth--;
    }
  }) as ScopedDb["transaction"];
  return db;
}

export async function inTransaction<T>(
  pool: Pool,
  context: ContextStatement | null,
  options: TransactionOptions,
  fn: (db: ScopedDb, conn: ReservedConnection) => Promise<T>,
): Promise<T> {
  const conn = await pool.reserve();
  // A reserved connection shares the pool's options but does not expose them; drizzle reads them.
  (conn as unknown as { options: Pool["options"] }).options ??= pool.options;
  let released = false;
  const release = () => {
    if (!released) {
      released = true;
      conn.release();
    }
  };
  try {
    // Sent now, answered together with the first query fn sends.
    const begin = conn.unsafe(options.readOnly ? "begin read only" : "begin").execute();
    const setup = context ? context(conn).execute() : null;
    begin.catch(ignore);
    setup?.catch(ignore);

    let open = true;
    const scoped = closableConnection(conn, () => open);
    let result: T;
    try {
      result = await fn(withSavepoints(drizzle({ client: scoped }), scoped), scoped);
      open = false;
      await begin;
      await setup;
    } catch (error) {
      open = false;
      // If BEGIN or the context failed, that is the real cause of whatever fn saw.
      await begin;
      await setup;
      throw error;
    }

    if (options.readOnly) {
      conn
        .unsafe("commit")
        .execute()
        .catch((error: unknown) => logger.warn({ err: error }, "commit of a read-only transaction failed"));
      release();
    } else {
      await conn.unsafe("commit");
    }
    return result;
  } catch (error) {
    if (!released) await conn.unsafe("rollback").catch(ignore);
    throw error;
  } finally {
    release();
  }
}
