import { and, eq, sql } from "drizzle-orm";
import { inventoryMovements, products } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { assertCategoryExists, assertProductImage, findProduct, PRODUCT_COLUMNS } from "./find.ts";
import type { UpdateProductInput } from "./schemas.ts";

/** A stock change is written to the ledger as the difference, so the ledger keeps summing to the stock. */
export async function updateProduct(scope: TenantScope, input: UpdateProductInput) {
  const { id, ...changes } = input;
  const current = await findProduct(scope, id, { forUpdate: true });
  if (changes.categoryId !== undefined && changes.categoryId !== null) await assertCategoryExists(scope, changes.categoryId);
  if (changes.imageFileId !== undefined && changes.imageFileId !== null) await assertProductImage(scope, changes.imageFileId);
  const [row] = await scope.db
    .update(products)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(products.businessId, scope.businessId), eq(products.id, id)))
    .returning(PRODUCT_COLUMNS);
  if (changes.stock !== undefined && changes.stock !== current.stock) {
    await scope.db.insert(inventoryMovements).values({
      businessId: scope.businessId,
      productId: id,
      delta: changes.stock - current.stock,
      reason: "adjustment",
      actorUserId: scope.userId,
    });
  }
  await recordAudit(scope, { action: "product.update", entityType: "product", entityId: id, details: { fields: Object.keys(changes) } });
  await scope.jobs.send("search.index-product", { id });
  return row!;
}
