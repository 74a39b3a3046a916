import { and, eq, sql } from "drizzle-orm";
import { products } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { findProduct } from "./find.ts";

/** Soft delete: order lines keep pointing at the product; it leaves the catalogue and the list. */
export async function deleteProduct(scope: TenantScope, id: number): Promise<{ id: number; deleted: true }> {
  await findProduct(scope, id);
  await scope.db
    .update(products)
    .set({ deletedAt: sql`now()`, status: "archived", updatedAt: sql`now()` })
    .where(and(eq(products.businessId, scope.businessId), eq(products.id, id)));
  await recordAudit(scope, { action: "product.delete", entityType: "product", entityId: id });
  await scope.jobs.send("search.index-product", { id });
  return { id, deleted: true };
}
