/** search.products and search.services: this business's documents, shaped like the API's other views. */
import type { ProductDocument, ServiceDocument } from "../../tenancy/search-indexes.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { ProductHit, ProductSearchInput, ServiceHit, ServiceSearchInput } from "./schemas.ts";

const productHit = (d: ProductDocument): ProductHit => ({
  id: d.id,
  name: d.name,
  description: d.description,
  categoryId: d.category_id,
  category: d.category,
  priceCents: d.price_cents,
  currency: d.currency,
  status: d.status,
  imageFileId: d.image_file_id,
  createdAt: new Date(d.created_at),
  updatedAt: new Date(d.updated_at),
});

const serviceHit = (d: ServiceDocument): ServiceHit => ({
  id: d.id,
  name: d.name,
  description: d.description,
  durationMinutes: d.duration_minutes,
  priceCents: d.price_cents,
  currency: d.currency,
  active: d.active,
  createdAt: new Date(d.created_at),
});

export async function searchProducts(scope: TenantScope, input: ProductSearchInput) {
  const page = await scope.search.query("products", input);
  return { ...page, hits: page.hits.map(productHit) };
}

export async function searchServices(scope: TenantScope, input: ServiceSearchInput) {
  const page = await scope.search.query("services", input);
  return { ...page, hits: page.hits.map(serviceHit) };
}

/** A tenant token for the mobile app (search.token). */
export const issueSearchToken = (scope: TenantScope) => scope.search.token();
