/**
 * Rows of a raw SQL query (`db.execute`), typed by the caller: the query names
 * its columns, so the row type is the caller's to state, once, here rather than
 * through a cast at every call site.
 */
import type { SQLWrapper } from "drizzle-orm";
import type { ScopedDb } from "./transaction.ts";

export async function rows<T extends Record<string, unknown>>(db: ScopedDb, query: SQLWrapper): Promise<T[]> {
  // postgres.js returns an array of plain row objects; drizzle's type for it is opaque.
  return (await db.execute(query)) as unknown as T[];
}
