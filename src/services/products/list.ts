import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { products } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { PRODUCT_COLUMNS } from "./find.ts";
import type { ListInput } from "../../lib/schemas.ts";

/** Newest first; `nextCursor` is the id to pass as `cursor` for the next page. */
export async function listProducts(scope: TenantScope, input: ListInput) {
  const rows = await scope.db
    .select(PRODUCT_COLUMNS)
    .from(products)
    .where(
      and(
        eq(products.businessId, scope.businessId),
        isNull(products.deletedAt),
        input.cursor === undefined ? undefined : lt(products.id, input.cursor),
      ),
    )
    .orderBy(desc(products.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null };
}
