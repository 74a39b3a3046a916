/**
 * Rows as search documents, read through the business's own scope (RLS bounds
 * every read to it). A document is built from what the database holds when
 * the indexing job runs, never from what the request sent: a job that runs
 * late or twice writes the latest state, not an old one.
 */
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { businessDirectory, businessTenants, categories, products, services } from "../../db/schema/index.ts";
import type { ListingDocument, ProductDocument, ServiceDocument } from "../../tenancy/search-indexes.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

const ms = (d: Date) => d.getTime();

async function productRows(scope: TenantScope, where: SQL | undefined, limit: number) {
  const rows = await scope.db
    .select({
      id: products.id,
      name: products.name,
      description: products.description,
      categoryId: products.categoryId,
      category: categories.name,
      priceCents: products.priceCents,
      currency: products.currency,
      status: products.status,
      imageFileId: products.imageFileId,
      createdAt: products.createdAt,
      updatedAt: products.updatedAt,
      deletedAt: products.deletedAt,
    })
    .from(products)
    .leftJoin(categories, and(eq(categories.businessId, products.businessId), eq(categories.id, products.categoryId)))
    .where(and(eq(products.businessId, scope.businessId), where))
    .orderBy(asc(products.id))
    .limit(limit);
  return rows.map((r) => ({
    deleted: r.deletedAt !== null,
    document: {
      id: r.id,
      name: r.name,
      description: r.description,
      category_id: r.categoryId,
      category: r.category,
      price_cents: r.priceCents,
      currency: r.currency,
      status: r.status,
      image_file_id: r.imageFileId,
      created_at: ms(r.createdAt),
      updated_at: ms(r.updatedAt),
    } satisfies ProductDocument,
  }));
}

/** The product's document, or null when it is gone or deleted (soft-deleted products leave search). */
export async function productDocument(scope: TenantScope, id: number): Promise<ProductDocument | null> {
  const [row] = await productRows(scope, eq(products.id, id), 1);
  return row && !row.deleted ? row.document : null;
}

/** Live products with ids above `afterId`, in id order (a rebuild pages through them). */
export async function productDocuments(scope: TenantScope, afterId: number, limit: number): Promise<{ documents: ProductDocument[]; lastId: number | null }> {
  const rows = await productRows(scope, gt(products.id, afterId), limit);
  return { documents: rows.filter((r) => !r.deleted).map((r) => r.document), lastId: rows.at(-1)?.document.id ?? null };
}

async function serviceRows(scope: TenantScope, where: SQL | undefined, limit: number): Promise<ServiceDocument[]> {
  const rows = await scope.db
    .select()
    .from(services)
    .where(and(eq(services.businessId, scope.businessId), where))
    .orderBy(asc(services.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    duration_minutes: r.durationMinutes,
    price_cents: r.priceCents,
    currency: r.currency,
    active: r.active,
    created_at: ms(r.createdAt),
  }));
}

export async function serviceDocument(scope: TenantScope, id: number): Promise<ServiceDocument | null> {
  return (await serviceRows(scope, eq(services.id, id), 1))[0] ?? null;
}

export async function serviceDocuments(scope: TenantScope, afterId: number, limit: number): Promise<{ documents: ServiceDocument[]; lastId: number | null }> {
  const documents = await serviceRows(scope, gt(services.id, afterId), limit);
  return { documents, lastId: documents.at(-1)?.id ?? null };
}

/** The business's listing as the directory shows it, or null when it must not be there (unpublished, or the business is not active). */
export async function listingDocument(scope: TenantScope): Promise<Omit<ListingDocument, "id"> | null> {
  const [row] = await scope.db
    .select({
      name: businessDirectory.displayName,
      description: businessDirectory.description,
      city: businessDirectory.city,
      industryType: businessDirectory.industryType,
      published: businessDirectory.published,
      open: sql<boolean>`${businessTenants.status} = 'active' and ${businessTenants.deletedAt} is null`,
    })
    .from(businessDirectory)
    .innerJoin(businessTenants, eq(businessTenants.id, businessDirectory.businessId))
    .where(eq(businessDirectory.businessId, scope.businessId));
  if (!row?.published || !row.open) return null;
  return { name: row.name, description: row.description, city: row.city, industry_type: row.industryType };
}
