import { and, eq, isNull } from "drizzle-orm";
import { categories, products } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { pick } from "../../db/pick.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { assertFileFor } from "../files/find.ts";
import { ProductView } from "./schemas.ts";

export const PRODUCT_COLUMNS = pick(products, ProductView);

/** A live product of this business, or NOT_FOUND (also for another business's id). */
export async function findProduct(scope: TenantScope, id: number, options: { forUpdate?: boolean } = {}): Promise<ProductView> {
  const query = scope.db
    .select(PRODUCT_COLUMNS)
    .from(products)
    .where(and(eq(products.businessId, scope.businessId), eq(products.id, id), isNull(products.deletedAt)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new NotFoundError(`Product ${id} not found`);
  return row;
}

export async function assertCategoryExists(scope: TenantScope, categoryId: number): Promise<void> {
  const [row] = await scope.db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.businessId, scope.businessId), eq(categories.id, categoryId)));
  if (!row) throw new NotFoundError(`Category ${categoryId} not found`);
}

/** A product's picture must be an image file of this business. */
export const assertProductImage = (scope: TenantScope, fileId: number) => assertFileFor(scope, fileId, ["products", "gallery"], "a product image");
