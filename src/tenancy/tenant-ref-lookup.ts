/**
 * tenantKey or slug → business id, whatever the business's status (callers
 * decide what a status means). The one way the code asks sql/002's
 * app.tenant_id_for_key, which the app, customer and platform roles may call;
 * a ref of neither shape is answered here and never reaches the database.
 */
import { sql } from "drizzle-orm";
import { rows } from "./rows.ts";
import { parseTenantRef } from "./tenant-ref.ts";
import type { ScopedDb } from "./transaction.ts";

export async function businessIdForRef(db: ScopedDb, tenantRef: string): Promise<number | null> {
  const ref = parseTenantRef(tenantRef);
  if (!ref) return null;
  const [row] = await rows<{ id: string | null }>(db, sql`select app.tenant_id_for_key(${ref}) as id`);
  return row?.id ? Number(row.id) : null;
}
