/**
 * The orphan sweep: makes blobs, rows and the storage counter agree again after
 * whatever a crash or a failed commit left behind. `bun run tenant sweep-files`
 * runs it now; a scheduled job will call sweepFiles.
 *
 * Per business, in one tenant transaction holding the storage lock (so no upload
 * can reserve and no deletion release until it ends):
 * - rows are read first, then blobs listed: an upload writes its blob before its
 *   row can commit, so every committed row's blob is in the listing;
 * - a row whose blob is gone is deleted (its references cleared);
 * - a blob no row names is removed once older than the grace period (an upload in
 *   flight has a blob and no row yet; its key's uuid v7 says when it was made);
 * - the counter is set to the sum of the remaining rows' sizes.
 * Businesses that no longer exist (purged) lose whatever they left in storage.
 */
import { and, eq, inArray } from "drizzle-orm";
import { businessTenants, files } from "../../db/schema/index.ts";
import type { ListedBlob, StoredFileRef } from "../../tenancy/files.ts";
import type { Scopes, TenantScope } from "../../tenancy/scopes.ts";
import { lockStorage, setStorageUsed, storageUsed } from "../subscriptions/storage.ts";
import { clearFileReferences } from "./delete.ts";

export interface SweepOptions {
  /** Only this business (default: every business, and storage left by purged ones). */
  businessId?: number;
  now?: Date;
  /** Blobs younger than this are left alone (default one hour). */
  graceMs?: number;
  onProgress?: (line: string) => void;
}

export interface BusinessSweep {
  blobsRemoved: number;
  rowsRemoved: number;
  counterBefore: number;
  counterAfter: number;
}

export interface SweepResult {
  businesses: number;
  blobsRemoved: number;
  rowsRemoved: number;
  countersFixed: number;
  failed: { businessId: number; error: string }[];
}

const HOUR = 3_600_000;
const refId = (r: StoredFileRef) => `${r.category}/${r.objectId}-${r.storedName}`;

export async function sweepTenantFiles(scope: TenantScope, options: Pick<SweepOptions, "now" | "graceMs"> = {}): Promise<BusinessSweep> {
  const cutoff = (options.now ?? new Date()).getTime() - (options.graceMs ?? HOUR);
  await lockStorage(scope);
  const rows = await scope.db
    .select({ id: files.id, category: files.category, objectId: files.objectId, storedName: files.storedName, size: files.sizeBytes })
    .from(files)
    .where(eq(files.businessId, scope.businessId));
  const blobs = await scope.files.list();
  const stored = new Set(blobs.flatMap((b) => (b.ref ? [refId(b.ref)] : [])));
  const named = new Set(rows.map(refId));

  const lost = rows.filter((row) => !stored.has(refId(row)));
  for (const row of lost) await clearFileReferences(scope, row.id);
  if (lost.length) await scope.db.delete(files).where(and(eq(files.businessId, scope.businessId), inArray(files.id, lost.map((r) => r.id))));

  const orphans = blobs.filter((b: ListedBlob) => !(b.ref && named.has(refId(b.ref))) && b.createdAt.getTime() < cutoff);
  for (const blob of orphans) await scope.files.removeListed(blob);

  const counterBefore = await storageUsed(scope);
  const counterAfter = rows.filter((r) => !lost.includes(r)).reduce((sum, r) => sum + r.size, 0);
  if (counterAfter !== counterBefore) await setStorageUsed(scope, counterAfter);
  return { blobsRemoved: orphans.length, rowsRemoved: lost.length, counterBefore, counterAfter };
}

export async function sweepFiles(scopes: Scopes, options: SweepOptions = {}): Promise<SweepResult> {
  const say = options.onProgress ?? (() => {});
  const { existing, withBlobs } = await scopes.asSuperAdmin(
    async (s) => {
      const rows = await s.db
        .select({ id: businessTenants.id })
        .from(businessTenants)
        .where(options.businessId ? eq(businessTenants.id, options.businessId) : undefined);
      return { existing: new Set(rows.map((r) => r.id)), withBlobs: options.businessId ? [options.businessId] : await s.files.tenantIdsWithBlobs() };
    },
    { readOnly: true },
  );
  const ids = [...new Set([...existing, ...withBlobs])].sort((a, b) => a - b);
  const result: SweepResult = { businesses: ids.length, blobsRemoved: 0, rowsRemoved: 0, countersFixed: 0, failed: [] };
  for (const businessId of ids) {
    try {
      if (existing.has(businessId)) {
        const r = await scopes.asTenant(businessId, (s) => sweepTenantFiles(s, options));
        result.blobsRemoved += r.blobsRemoved;
        result.rowsRemoved += r.rowsRemoved;
        if (r.counterAfter !== r.counterBefore) result.countersFixed++;
        if (r.blobsRemoved || r.rowsRemoved || r.counterAfter !== r.counterBefore) {
          say(`business ${businessId}: ${r.blobsRemoved} orphan blob(s) removed, ${r.rowsRemoved} row(s) without a blob removed, counter ${r.counterBefore} → ${r.counterAfter} bytes`);
        }
      } else {
        const removed = await scopes.asSuperAdmin(async (s) => {
          const handle = s.files.forTenant(businessId);
          const blobs = await handle.list();
          for (const blob of blobs) await handle.removeListed(blob);
          return blobs.length;
        });
        result.blobsRemoved += removed;
        say(`business ${businessId} no longer exists: ${removed} blob(s) it left removed`);
      }
    } catch (error) {
      result.failed.push({ businessId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
