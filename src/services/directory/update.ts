import { eq, sql } from "drizzle-orm";
import { pick } from "../../db/pick.ts";
import { businessDirectory } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { DirectoryView, type UpdateListingInput } from "./schemas.ts";

const COLUMNS = pick(businessDirectory, DirectoryView);

/** The business edits (and publishes) its own public listing. */
export async function updateListing(scope: TenantScope, input: UpdateListingInput): Promise<DirectoryView> {
  const [row] = await scope.db
    .update(businessDirectory)
    .set({ ...input, updatedAt: sql`now()` })
    .where(eq(businessDirectory.businessId, scope.businessId))
    .returning(COLUMNS);
  await recordAudit(scope, { action: "directory.update", entityType: "directory", entityId: scope.businessId, details: { fields: Object.keys(input) } });
  await scope.jobs.send("search.index-listing", {});
  return row!;
}
