import { z } from "zod";
import { eq, sql } from "drizzle-orm";
import { businessDirectory } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { Text } from "../../lib/schemas.ts";

export const UpdateListingInput = z
  .object({
    displayName: Text(120).min(2).optional(),
    description: Text(2000).nullable().optional(),
    city: Text(100).nullable().optional(),
    published: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "nothing to update");
export type UpdateListingInput = z.infer<typeof UpdateListingInput>;

/** The business edits (and publishes) its own public listing. */
export async function updateListing(scope: TenantScope, input: UpdateListingInput) {
  const [row] = await scope.db
    .update(businessDirectory)
    .set({ ...input, updatedAt: sql`now()` })
    .where(eq(businessDirectory.businessId, scope.businessId))
    .returning();
  await recordAudit(scope, { action: "directory.update", entityType: "directory", entityId: scope.businessId, details: { fields: Object.keys(input) } });
  return row!;
}
