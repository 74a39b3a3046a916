/**
 * Declared outputs, selected once: a procedure's output is a zod object (the
 * wire contract, beside its input schema), and the service selects the columns
 * that object names, no more. A column added to a table reaches no client until
 * someone adds it to a view.
 */
import { getTableColumns, type Table } from "drizzle-orm";
import type { z } from "zod";

type ColumnsOf<T extends Table> = T["_"]["columns"];

/** The columns of `table` named by the keys of `view` (each key must be a column of the table). */
export function pick<T extends Table, S extends z.ZodRawShape>(
  table: T,
  view: z.ZodObject<S>,
): { [K in Extract<keyof S, keyof ColumnsOf<T>>]: ColumnsOf<T>[K] } {
  const columns = getTableColumns(table) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(view.shape)) {
    if (!(key in columns)) throw new Error(`pick: ${key} is not a column of this table`);
    picked[key] = columns[key];
  }
  return picked as never;
}
