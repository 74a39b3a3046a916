import { sql } from "drizzle-orm";
import { businessSettings } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { assertFileFor } from "./find.ts";
import type { SetLogoInput } from "./schemas.ts";

/** The business's logo: a `logos` file of this business, or null to remove it. */
export async function setLogo(scope: TenantScope, input: SetLogoInput): Promise<{ logoFileId: number | null }> {
  if (input.fileId !== null) await assertFileFor(scope, input.fileId, ["logos"], "a logo");
  await scope.db
    .insert(businessSettings)
    .values({ businessId: scope.businessId, logoFileId: input.fileId })
    .onConflictDoUpdate({ target: businessSettings.businessId, set: { logoFileId: input.fileId, updatedAt: sql`now()` } });
  await recordAudit(scope, { action: "business.logo", entityType: "business", entityId: scope.businessId, details: { fileId: input.fileId } });
  return { logoFileId: input.fileId };
}
