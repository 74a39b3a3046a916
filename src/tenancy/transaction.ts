/**
 * The one way work reaches PostgreSQL: a transaction on a reserved connection
 * whose signed context (src/tenancy/db-context.ts) is set transaction-locally,
 * so it never outlives the transaction.
 *
 * Round trips: BEGIN and the context statement are pipelined ahead of the first
 * query, so begin + context + first query cost one round trip. A read-only
 * transaction (tRPC queries) sends COMMIT without waiting for it: there is
 * nothing to lose, and the next user of the connection queues behind it on the
 * same socket. A write transaction waits for COMMIT and fails if PostgreSQL
 * answered it with a rollback (a caught error had aborted the transaction), so
 * a procedure never reports success for work that was lost.
 *
 * What fn gets is an allowlist, checked when each query executes (postgres.js
 * builds queries lazily and runs them when awaited): a tagged query, `unsafe`,
 * and the options drizzle reads; nothing else (no release, no begin, no reserve).
 * A query that reaches execution after the scope ended is refused, because by
 * then the connection may belong to another tenant's transaction. Any anomaly
 * (queries still running when fn settled, a failed BEGIN or context, a failed
 * COMMIT or ROLLBACK) discards the connection instead of returning it to the pool.
 */
import type postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Pool } from "../db/client.ts";
import { logger } from "../lib/logger.ts";
import type { ContextStatement, ReservedConnection } from "./db-context.ts";

export type ScopedDb = PostgresJsDatabase;

/** What a scope's fn may do with its connection. */
export interface ScopedConnection {
  <T extends readonly object[] = postgres.Row[]>(strings: TemplateStringsArray, ...args: unknown[]): postgres.PendingQuery<T>;
  unsafe<T extends readonly object[] = postgres.Row[]>(text: string, args?: unknown[], options?: { prepare?: boolean }): postgres.PendingQuery<T>;
  readonly options: Pool["options"];
}

export interface TransactionOptions {
  readOnly?: boolean;
}

/** The transaction was rolled back although fn finished: its writes are lost, so the caller must not report success. */
export class TransactionRolledBackError extends Error {
  constructor() {
    super("The transaction was rolled back by the database (an earlier statement in it failed); nothing was saved");
  }
}

export class ScopeEndedError extends Error {
  constructor() {
    super("This scope's transaction has ended; its database handle cannot be used any more");
  }
}

type Query = postgres.PendingQuery<postgres.Row[]> & { handler: (q: Query) => void; reject: (e: unknown) => void };

/** Tracks the queries fn runs, so none runs after the scope and none is left behind. */
class ScopeGuard {
  open = true;
  private readonly running = new Set<Promise<unknown>>();

  admit(query: Query): Query {
    if (typeof query?.handler !== "function") return query; // fragments (identifiers, helpers), not queries
    const run = query.handler;
    query.handler = (q: Query) => {
      if (!this.open) {
        logger.error({ err: new ScopeEndedError() }, "a query ran after its scope ended; refused");
        return q.reject(new ScopeEndedError());
      }
      // A handled copy: an un-awaited query that fails must not become an unhandled rejection.
      const settled = Promise.prototype.then.call(q, ignore, ignore).finally(() => this.running.delete(settled));
      this.running.add(settled);
      run(q);
    };
    return query;
  }

  /** Closes the scope; true when queries were still running (they are waited for). */
  async close(): Promise<boolean> {
    this.open = false;
    if (!this.running.size) return false;
    await Promise.all(this.running);
    return true;
  }
}

const ignore = () => {};

function guardedConnection(conn: ReservedConnection, guard: ScopeGuard): ScopedConnection {
  const scoped = ((strings: TemplateStringsArray, ...args: unknown[]) =>
    guard.admit(conn(strings, ...(args as never[])) as unknown as Query)) as unknown as ScopedConnection;
  // drizzle sends its queries through unsafe(); prepared, a statement is described once per
  // connection and then pipelines (unprepared, postgres.js waits for a Describe round trip).
  (scoped as { unsafe: ScopedConnection["unsafe"] }).unsafe = ((text: string, args?: unknown[], options?: object) =>
    guard.admit(conn.unsafe(text, args as never, { ...options, prepare: true }) as unknown as Query)) as never;
  Object.defineProperty(scoped, "options", { get: () => conn.options });
  return Object.freeze(scoped);
}

/** Nested `db.transaction()` becomes a savepoint inside the scope's transaction. */
function withSavepoints(db: ScopedDb, conn: ScopedConnection): ScopedDb {
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

/** A driver-level failure: postgres.js has closed the connection and takes it back itself. */
const connectionLost = (error: unknown) => /^CONNECTION_/.test(String((error as { code?: unknown })?.code ?? ""));

/** Ends the connection's session instead of returning it to the pool; postgres.js opens a new one on next use. */
async function discard(conn: ReservedConnection, reason: string, dead: boolean): Promise<void> {
  logger.warn({ reason }, "database connection discarded");
  if (dead) return;
  await conn.unsafe("rollback").catch(ignore);
  await conn.unsafe("select pg_terminate_backend(pg_backend_pid())").catch(ignore);
}

export async function inTransaction<T>(
  pool: Pool,
  context: ContextStatement | null,
  options: TransactionOptions,
  fn: (db: ScopedDb, conn: ScopedConnection) => Promise<T>,
): Promise<T> {
  const conn = await pool.reserve();
  // A reserved connection shares the pool's options but does not expose them; drizzle reads them.
  (conn as unknown as { options: Pool["options"] }).options ??= pool.options;
  const guard = new ScopeGuard();
  // Sent now, answered together with the first query fn sends.
  const begin = conn.unsafe(options.readOnly ? "begin read only" : "begin").execute();
  const setup = context ? context(conn).execute() : null;
  begin.catch(ignore);
  setup?.catch(ignore);

  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    const scoped = guardedConnection(conn, guard);
    outcome = { ok: true, value: await fn(withSavepoints(drizzle({ client: scoped as never }), scoped), scoped) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const leftBehind = await guard.close();
  try {
    // If BEGIN or the context failed, that is the real cause of whatever fn saw.
    await begin;
    await setup;
  } catch (error) {
    await discard(conn, "BEGIN or the context statement failed", connectionLost(error));
    throw error;
  }
  if (leftBehind) logger.warn("a scope finished while its queries were still running; they were awaited");
  if (!outcome.ok) return rollBack(conn, outcome.error, leftBehind);
  return commit(conn, outcome.value, options, leftBehind);
}

async function rollBack(conn: ReservedConnection, error: unknown, discardAfter: boolean): Promise<never> {
  if (connectionLost(error)) {
    await discard(conn, "the connection failed", true);
    throw error;
  }
  try {
    await conn.unsafe("rollback");
  } catch (rollbackError) {
    await discard(conn, "ROLLBACK failed", connectionLost(rollbackError));
    throw error;
  }
  if (discardAfter) await discard(conn, "queries were left running", false);
  else conn.release();
  throw error;
}

async function commit<T>(conn: ReservedConnection, value: T, options: TransactionOptions, discardAfter: boolean): Promise<T> {
  if (options.readOnly && !discardAfter) {
    conn
      .unsafe("commit")
      .execute()
      .catch((error: unknown) => logger.warn({ err: error }, "commit of a read-only transaction failed"));
    conn.release();
    return value;
  }
  let committed: postgres.RowList<postgres.Row[]>;
  try {
    committed = await conn.unsafe("commit");
  } catch (error) {
    await discard(conn, "COMMIT failed", connectionLost(error));
    throw error;
  }
  if (discardAfter) await discard(conn, "queries were left running", false);
  else conn.release();
  // PostgreSQL answers COMMIT in an aborted transaction with ROLLBACK, not an error.
  if (committed.command !== "COMMIT") throw new TransactionRolledBackError();
  return value;
}
