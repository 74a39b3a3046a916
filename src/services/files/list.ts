import { and, desc, eq, lt, ne } from "drizzle-orm";
import { files } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { TenantAccess } from "../../tenancy/tenant-request.ts";
import { assertMayHandle, viewOf } from "./find.ts";
import type { FileView, ListFilesInput } from "./schemas.ts";

/** Newest first; members other than the owner never see KYC documents (asking for them is FORBIDDEN). */
export async function listFiles(scope: TenantScope, tenant: TenantAccess, input: ListFilesInput): Promise<{ items: FileView[]; nextCursor: number | null }> {
  if (input.category) assertMayHandle(tenant, input.category);
  const rows = await scope.db
    .select()
    .from(files)
    .where(
      and(
        eq(files.businessId, scope.businessId),
        input.category ? eq(files.category, input.category) : tenant.role === "owner" ? undefined : ne(files.category, "kyc"),
        input.cursor === undefined ? undefined : lt(files.id, input.cursor),
      ),
    )
    .orderBy(desc(files.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(viewOf);
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null };
}
