/**
 * Serving a signed download link (GET /files/:id): the file row and the
 * business's status, in one read-only query (src/http/files.ts resolves the link's `t`).
 */
import { and, eq } from "drizzle-orm";
import { businessTenants, files } from "../../db/schema/index.ts";
import { ForbiddenError, NotFoundError } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { refOf } from "./find.ts";

export interface Download {
  name: string;
  contentType: string;
  size: number;
  /** The bytes (null when the blob is missing); readable after the transaction has ended. */
  read(): Promise<Uint8Array | null>;
}

/** The file behind a valid link: NOT_FOUND when deleted (or the business is closed), FORBIDDEN while suspended. */
export async function findDownload(scope: TenantScope, fileId: number): Promise<Download> {
  const [row] = await scope.db
    .select({ file: files, status: businessTenants.status, deletedAt: businessTenants.deletedAt })
    .from(files)
    .innerJoin(businessTenants, eq(businessTenants.id, files.businessId))
    .where(and(eq(files.businessId, scope.businessId), eq(files.id, fileId)));
  if (!row || row.status === "closed" || row.deletedAt) throw new NotFoundError("File not found");
  if (row.status === "suspended") throw new ForbiddenError("This business is suspended");
  const ref = refOf(row.file);
  const handle = scope.files;
  return { name: row.file.name, contentType: row.file.contentType, size: row.file.sizeBytes, read: () => handle.read(ref) };
}
