import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { products } from "../../db/schema/index.ts";
import type { ListInput } from "../../lib/schemas.ts";
import { preparedQuery } from "../../tenancy/prepared.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { PRODUCT_COLUMNS } from "./find.ts";

// The catalogue screen's query, on every products.list: built once (src/tenancy/prepared.ts).
const page = (withCursor: boolean) =>
  preparedQuery(withCursor ? "products_page_after" : "products_page", (db) =>
    db
      .select(PRODUCT_COLUMNS)
      .from(products)
      .where(
        and(
          eq(products.businessId, sql.placeholder("businessId")),
          isNull(products.deletedAt),
          withCursor ? lt(products.id, sql.placeholder("cursor")) : undefined,
        ),
      )
      .orderBy(desc(products.id))
      .limit(sql.placeholder("limit")),
  );
const firstPage = page(false);
const laterPage = page(true);

/** Newest first; `nextCursor` is the id to pass as `cursor` for the next page. */
export async function listProducts(scope: TenantScope, input: ListInput) {
  const values = { businessId: scope.businessId, cursor: input.cursor, limit: input.limit + 1 };
  const rows = await (input.cursor === undefined ? firstPage : laterPage)(scope.db, values);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null };
}
