/**
 * The Meilisearch indexes and what each document holds. `products` and
 * `services` hold every business's rows, told apart by `tenant_id` (one index
 * per resource, not per business: a thousand businesses are not a thousand
 * indexes to migrate, and Meilisearch's tenant tokens are built for exactly
 * this layout). `directory` holds published listings of active businesses and
 * is only ever searched by the server.
 *
 * Document fields are snake_case: they are what a `filter` or `sort` names,
 * and what a mobile app reads when it searches with a tenant token.
 */
import type { ProductStatus } from "../db/schema/enums.ts";

/** Index uids under one prefix, so deployments and test runs can share a Meilisearch (MEILI_INDEX_PREFIX). */
export function indexNames(prefix: string) {
  return { products: `${prefix}-products`, services: `${prefix}-services`, directory: `${prefix}-directory` } as const;
}
export type IndexNames = ReturnType<typeof indexNames>;
export type TenantIndex = "products" | "services";

/**
 * What a product document carries besides `uid`, `tenant_id` and `indexed_at`
 * (the search handle sets those). No stock: orders change it without going
 * through products.update, so an indexed stock would be wrong more often than right.
 */
export interface ProductDocument {
  id: number;
  name: string;
  description: string | null;
  category_id: number | null;
  category: string | null;
  price_cents: number;
  currency: string;
  status: ProductStatus;
  image_file_id: number | null;
  /** Unix milliseconds. */
  created_at: number;
  updated_at: number;
}

export interface ServiceDocument {
  id: number;
  name: string;
  description: string | null;
  duration_minutes: number;
  price_cents: number;
  currency: string;
  active: boolean;
  created_at: number;
}

/** A published listing; `id` is the business id (never shown: the server maps hits back to rows). */
export interface ListingDocument {
  id: number;
  name: string;
  description: string | null;
  city: string | null;
  industry_type: string;
}

export type TenantDocument<I extends TenantIndex> = I extends "products" ? ProductDocument : ServiceDocument;

/** What callers may sort and facet on (checked before a query reaches Meilisearch, so a typo is a clear BAD_REQUEST). */
export const SORTABLE = {
  products: ["name", "price_cents", "created_at", "updated_at"],
  services: ["name", "price_cents", "duration_minutes", "created_at"],
} as const;
export const FACETS = {
  products: ["status", "category", "currency"],
  services: ["active", "currency"],
} as const;

export interface IndexDefinition {
  primaryKey: string;
  searchableAttributes: string[];
  filterableAttributes: string[];
  sortableAttributes: string[];
  displayedAttributes: string[];
  typoTolerance: { enabled: boolean };
}

/** Every index's settings; applied at start-up when they differ from what the server holds. */
export const INDEX_SETTINGS: Record<keyof IndexNames, IndexDefinition> = {
  products: {
    primaryKey: "uid",
    // Ranked in this order: a match in the name beats one in the category, which beats the description.
    searchableAttributes: ["name", "category", "description"],
    filterableAttributes: ["tenant_id", "id", "status", "category_id", "category", "price_cents", "currency", "created_at", "updated_at", "indexed_at"],
    sortableAttributes: [...SORTABLE.products],
    // uid and indexed_at are bookkeeping; everything else is what a hit shows.
    displayedAttributes: ["id", "tenant_id", "name", "description", "category_id", "category", "price_cents", "currency", "status", "image_file_id", "created_at", "updated_at"],
    typoTolerance: { enabled: true },
  },
  services: {
    primaryKey: "uid",
    searchableAttributes: ["name", "description"],
    filterableAttributes: ["tenant_id", "id", "active", "price_cents", "duration_minutes", "currency", "created_at", "indexed_at"],
    sortableAttributes: [...SORTABLE.services],
    displayedAttributes: ["id", "tenant_id", "name", "description", "duration_minutes", "price_cents", "currency", "active", "created_at"],
    typoTolerance: { enabled: true },
  },
  directory: {
    primaryKey: "id",
    searchableAttributes: ["name", "industry_type", "city", "description"],
    filterableAttributes: ["industry_type", "city"],
    sortableAttributes: ["name"],
    // Only the id comes back: directory.search reads the listing itself from PostgreSQL.
    displayedAttributes: ["id"],
    typoTolerance: { enabled: true },
  },
};

/** Two lists with the same members, in any order (what Meilisearch answers about settings and keys). */
export const sortedEqual = (a: readonly unknown[] | null | undefined, b: readonly unknown[]) =>
  JSON.stringify([...(a ?? [])].map(String).sort()) === JSON.stringify([...b].map(String).sort());
