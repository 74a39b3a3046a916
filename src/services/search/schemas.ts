/**
 * search.* inputs and outputs. `filter` is Meilisearch filter syntax over the
 * documents' snake_case fields (`status = active AND price_cents < 5000`);
 * whatever it says, hits are the caller's business's only.
 */
import { z } from "zod";
import { productStatus } from "../../db/schema/enums.ts";
import { OutText, Text } from "../../lib/schemas.ts";
import { ServiceView } from "../catalog/schemas.ts";
import { MAX_FILTER_LENGTH } from "../../tenancy/search-filter.ts";
import { FACETS, SORTABLE, type TenantIndex } from "../../tenancy/search-indexes.ts";

const sortRules = <I extends TenantIndex>(index: I) => SORTABLE[index].flatMap((field) => [`${field}:asc`, `${field}:desc`]) as [string, ...string[]];

/** One rule or a list of up to three, like Meilisearch's `sort`. */
const Sort = (index: TenantIndex) => {
  const rule = z.enum(sortRules(index));
  return z.union([rule.transform((r) => [r]), z.array(rule).max(3)]).optional();
};

const common = {
  q: Text(200).default(""),
  filter: Text(MAX_FILTER_LENGTH).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  // Meilisearch counts at most 1,000 hits per query (its maxTotalHits).
  offset: z.number().int().min(0).max(1_000).default(0),
};

export const ProductSearchInput = z.object({ ...common, sort: Sort("products"), facets: z.array(z.enum(FACETS.products)).max(3).optional() });
export type ProductSearchInput = z.infer<typeof ProductSearchInput>;

export const ServiceSearchInput = z.object({ ...common, sort: Sort("services"), facets: z.array(z.enum(FACETS.services)).max(2).optional() });
export type ServiceSearchInput = z.infer<typeof ServiceSearchInput>;

export const ProductHit = z.object({
  id: z.number(),
  name: OutText,
  description: OutText.nullable(),
  categoryId: z.number().nullable(),
  category: OutText.nullable(),
  priceCents: z.number(),
  currency: OutText,
  status: z.enum(productStatus.enumValues),
  imageFileId: z.number().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ProductHit = z.infer<typeof ProductHit>;

// A service hit is the catalogue's own view of a service: one shape for both answers.
export const ServiceHit = ServiceView;
export type ServiceHit = z.infer<typeof ServiceHit>;

const Facets = z.record(OutText, z.record(OutText, z.number()));

export const ProductResults = z.object({ hits: z.array(ProductHit), estimatedTotalHits: z.number(), facetDistribution: Facets });
export const ServiceResults = z.object({ hits: z.array(ServiceHit), estimatedTotalHits: z.number(), facetDistribution: Facets });

export const SearchTokenView = z.object({
  host: OutText,
  indexUid: OutText,
  indexes: z.object({ products: OutText, services: OutText }),
  token: OutText,
  expiresAt: z.date(),
});
