import { and, eq } from "drizzle-orm";
import { files } from "../../db/schema/index.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { FileCategory, StoredFileRef } from "../../tenancy/files.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { TenantAccess } from "../../tenancy/tenant-request.ts";
import { CATEGORY_RULES } from "./rules.ts";
import type { FileView } from "./schemas.ts";

export type FileRow = typeof files.$inferSelect;

/** A file of this business, or NOT_FOUND (also for another business's id). */
export async function findFile(scope: TenantScope, id: number, options: { forUpdate?: boolean } = {}): Promise<FileRow> {
  const query = scope.db.select().from(files).where(and(eq(files.businessId, scope.businessId), eq(files.id, id)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new NotFoundError(`File ${id} not found`);
  return row;
}

/** KYC documents are the owner's alone. */
export function assertMayHandle(tenant: Pick<TenantAccess, "role">, category: FileCategory): void {
  if (CATEGORY_RULES[category].ownerOnly && tenant.role !== "owner") throw new ForbiddenError(`Only the business owner may handle ${category} files`);
}

/** For references (a product's image, the logo): a file of this business in one of `categories`. */
export async function assertFileFor(scope: TenantScope, id: number, categories: readonly FileCategory[], use: string): Promise<void> {
  const row = await findFile(scope, id);
  if (!categories.includes(row.category)) {
    throw new ValidationError(`File ${id} is a ${row.category} file; ${use} must be a ${categories.join(" or ")} file`);
  }
}

export const refOf = (row: Pick<FileRow, "category" | "objectId" | "storedName">): StoredFileRef => ({
  category: row.category,
  objectId: row.objectId,
  storedName: row.storedName,
});

export const viewOf = (row: FileRow): FileView => ({
  id: row.id,
  name: row.name,
  category: row.category,
  size: row.sizeBytes,
  contentType: row.contentType,
  createdAt: row.createdAt,
});
