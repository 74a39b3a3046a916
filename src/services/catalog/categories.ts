import { asc, eq } from "drizzle-orm";
import { pick } from "../../db/pick.ts";
import { categories } from "../../db/schema/index.ts";
import { ConflictError } from "../../lib/errors.ts";
import { TTL } from "../../tenancy/cache-keys.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { CategoryView, type CreateCategoryInput } from "./schemas.ts";

const COLUMNS = pick(categories, CategoryView);

export async function createCategory(scope: TenantScope, input: CreateCategoryInput): Promise<CategoryView> {
  const [row] = await scope.db
    .insert(categories)
    .values({ businessId: scope.businessId, name: input.name, description: input.description })
    .onConflictDoNothing()
    .returning(COLUMNS);
  if (!row) throw new ConflictError(`A category named "${input.name}" already exists`);
  await scope.cache.invalidate(CATEGORY_LIST, "all");
  await recordAudit(scope, { action: "category.create", entityType: "category", entityId: row.id });
  return row;
}

/** The list every catalogue screen loads; cached until a category is created (provisioning seeds a new business's before anyone reads). */
const CATEGORY_LIST = "categories";

export function listCategories(scope: TenantScope): Promise<CategoryView[]> {
  return scope.cache.getOrCompute(
    CATEGORY_LIST,
    "all",
    () => scope.db.select(COLUMNS).from(categories).where(eq(categories.businessId, scope.businessId)).orderBy(asc(categories.name)),
    TTL.MEDIUM,
  );
}
