import { and, eq } from "drizzle-orm";
import { businessSettings, files, products } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { TenantAccess } from "../../tenancy/tenant-request.ts";
import { recordAudit } from "../audit/record.ts";
import { releaseStorage } from "../subscriptions/storage.ts";
import { assertMayHandle, findFile, refOf } from "./find.ts";

/** Products and the business logo stop pointing at the file (their foreign keys would refuse the delete otherwise). */
export async function clearFileReferences(scope: TenantScope, id: number): Promise<void> {
  await scope.db.update(products).set({ imageFileId: null }).where(and(eq(products.businessId, scope.businessId), eq(products.imageFileId, id)));
  await scope.db
    .update(businessSettings)
    .set({ logoFileId: null })
    .where(and(eq(businessSettings.businessId, scope.businessId), eq(businessSettings.logoFileId, id)));
}

/**
 * Row, references and bytes counted go in the transaction; the blob goes last, so
 * a storage failure rolls all of it back. Should the commit itself fail after the
 * blob is gone, the row is left without a blob: the orphan sweep removes such rows
 * and recounts. Its download links die with the row (GET answers 404).
 */
export async function deleteFile(scope: TenantScope, tenant: TenantAccess, id: number): Promise<{ id: number; deleted: true }> {
  const row = await findFile(scope, id, { forUpdate: true });
  assertMayHandle(tenant, row.category);
  await clearFileReferences(scope, id);
  await scope.db.delete(files).where(and(eq(files.businessId, scope.businessId), eq(files.id, id)));
  await releaseStorage(scope, row.sizeBytes);
  await recordAudit(scope, { action: "file.delete", entityType: "file", entityId: id, details: { category: row.category, size: row.sizeBytes } });
  await scope.files.remove(refOf(row));
  return { id, deleted: true };
}
