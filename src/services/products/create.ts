import { inventoryMovements, products } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { businessCurrency } from "../catalog/currency.ts";
import { assertWithinLimit } from "../subscriptions/limits.ts";
import { assertCategoryExists, assertProductImage, PRODUCT_COLUMNS } from "./find.ts";
import type { CreateProductInput, ProductView } from "./schemas.ts";

export async function createProduct(scope: TenantScope, input: CreateProductInput): Promise<ProductView> {
  await assertWithinLimit(scope, "products");
  if (input.categoryId !== undefined) await assertCategoryExists(scope, input.categoryId);
  if (input.imageFileId !== undefined) await assertProductImage(scope, input.imageFileId);
  const [row] = await scope.db
    .insert(products)
    .values({
      businessId: scope.businessId,
      name: input.name,
      description: input.description,
      priceCents: input.priceCents,
      currency: input.currency ?? (await businessCurrency(scope)),
      categoryId: input.categoryId,
      stock: input.stock,
      status: input.status,
      imageFileId: input.imageFileId,
    })
    .returning(PRODUCT_COLUMNS);
  if (input.stock > 0) {
    await scope.db
      .insert(inventoryMovements)
      .values({ businessId: scope.businessId, productId: row!.id, delta: input.stock, reason: "initial", actorUserId: scope.userId });
  }
  await recordAudit(scope, { action: "product.create", entityType: "product", entityId: row!.id, details: { name: row!.name } });
  // Outbox: the indexing job commits with the product, or neither does.
  await scope.jobs.send("search.index-product", { id: row!.id });
  return row!;
}
