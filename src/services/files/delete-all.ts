/**
 * deleteAllTenantFiles: every file of a business, rows and blobs, on the super-admin
 * role (purge, after archiveTenantFiles). Key by key, never a driver's clear() (which
 * on fs would wipe every business's files), and checked afterwards: anything still
 * under tenants/{id}/ is an error, not a warning.
 */
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { businessSettings, files, products, usageCounters } from "../../db/schema/index.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { lockStorage, STORAGE_COUNTER } from "../subscriptions/storage.ts";

const PARALLEL = 8;

export async function deleteAllTenantFiles(scope: AdminScope, businessId: number): Promise<{ rowsDeleted: number; blobsRemoved: number }> {
  await lockStorage({ db: scope.db, businessId });
  await scope.db.update(products).set({ imageFileId: null }).where(and(eq(products.businessId, businessId), isNotNull(products.imageFileId)));
  await scope.db.update(businessSettings).set({ logoFileId: null }).where(eq(businessSettings.businessId, businessId));
  const deleted = await scope.db.delete(files).where(eq(files.businessId, businessId)).returning({ id: files.id });
  await scope.db
    .update(usageCounters)
    .set({ value: sql`0` })
    .where(and(eq(usageCounters.businessId, businessId), eq(usageCounters.metric, STORAGE_COUNTER.metric), eq(usageCounters.periodStart, STORAGE_COUNTER.periodStart)));

  const handle = scope.files.forTenant(businessId);
  const blobs = await handle.list();
  for (let i = 0; i < blobs.length; i += PARALLEL) await Promise.all(blobs.slice(i, i + PARALLEL).map((b) => handle.removeListed(b)));
  const left = await handle.list();
  if (left.length) throw new Error(`${left.length} blob(s) of business ${businessId} are still in storage after deleting its files`);
  return { rowsDeleted: deleted.length, blobsRemoved: blobs.length };
}
