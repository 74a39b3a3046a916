/**
 * `scope.search`: the only way code reaches search. A tenant scope's handle is
 * bound to its business: every query carries `tenant_id = <business>` as its
 * own filter element (src/tenancy/search-filter.ts), every document written
 * gets the business's `tenant_id` and a uid that starts with it, deletions are
 * by that filter, and its tokens' search rules force the same condition. No
 * method takes a business id.
 *
 * The platform scope gets `directory` only: the public index of published
 * listings, searched by the server and answered with business ids.
 */
import { ValidationError } from "../lib/errors.ts";
import { createSearchBackend, type SearchBackend, type SearchConfig, type WriteOptions } from "./search-client.ts";
import { checkUserFilter, quoted, tenantCondition, tenantFilter } from "./search-filter.ts";
import { FACETS, SORTABLE, type IndexNames, type ListingDocument, type TenantDocument, type TenantIndex } from "./search-indexes.ts";
import { tenantToken } from "./search-token.ts";

export type { SearchConfig };

export interface SearchQuery {
  q: string;
  filter?: string;
  /** `attribute:asc|desc`, attributes from SORTABLE. */
  sort?: readonly string[];
  limit: number;
  offset: number;
  facets?: readonly string[];
}

export interface SearchPage<D> {
  hits: D[];
  estimatedTotalHits: number;
  /** Counts per value of each requested facet, over this business's matches only. */
  facetDistribution: Record<string, Record<string, number>>;
}

export type Indexed<D> = D & { tenant_id: number };

export interface SearchToken {
  /** Where the client sends its searches (MEILI_PUBLIC_URL, else MEILI_URL). */
  host: string;
  /** The products index; `indexes` names both the token opens. */
  indexUid: string;
  indexes: Record<TenantIndex, string>;
  token: string;
  expiresAt: Date;
}

/** Refuses sorts and facets the index does not offer before they cost a round trip. */
function checkQuery(index: TenantIndex, query: SearchQuery): void {
  checkUserFilter(query.filter);
  for (const rule of query.sort ?? []) {
    const [field, direction, ...rest] = rule.split(":");
    if (rest.length || !(direction === "asc" || direction === "desc") || !(SORTABLE[index] as readonly string[]).includes(field!)) {
      throw new ValidationError(`Cannot sort ${index} by ${JSON.stringify(rule.slice(0, 60))}: use one of ${SORTABLE[index].join(", ")} with :asc or :desc`);
    }
  }
  const facets = FACETS[index] as readonly string[];
  const unknown = (query.facets ?? []).filter((f) => !facets.includes(f));
  if (unknown.length) throw new ValidationError(`Cannot facet ${index} by ${unknown.slice(0, 3).join(", ")}: use ${facets.join(", ")}`);
}

/** A tenant scope's search, bound to `businessId` (a class: a scope is made per request, its methods need not be). */
export class TenantSearch {
  constructor(
    private readonly backend: SearchBackend,
    private readonly businessId: number,
  ) {
    tenantCondition(businessId); // refuses a non-positive id at once
  }

  private uid(id: number) {
    return `${this.businessId}-${id}`;
  }

  /** This business's documents matching `query`, whatever its filter says. */
  async query<I extends TenantIndex>(index: I, query: SearchQuery): Promise<SearchPage<Indexed<TenantDocument<I>>>> {
    checkQuery(index, query);
    const uid = this.backend.names[index];
    const response = await this.backend.read((client) =>
      client.index(uid).search(query.q, {
        filter: tenantFilter(this.businessId, query.filter),
        sort: query.sort?.length ? [...query.sort] : undefined,
        facets: query.facets?.length ? [...query.facets] : undefined,
        limit: query.limit,
        offset: query.offset,
      }),
    );
    return {
      hits: response.hits as Indexed<TenantDocument<I>>[],
      estimatedTotalHits: response.estimatedTotalHits ?? response.hits.length,
      facetDistribution: (response.facetDistribution ?? {}) as Record<string, Record<string, number>>,
    };
  }

  /** A tenant token for this business (see src/tenancy/search-token.ts); none while Meilisearch is down, like every search call. */
  async token(now = Date.now()): Promise<SearchToken> {
    const { names, publicUrl } = this.backend;
    await this.backend.ensureUp();
    const signed = await tenantToken(await this.backend.tokenKey(), names, this.businessId, now);
    return { host: publicUrl, indexUid: names.products, indexes: { products: names.products, services: names.services }, ...signed };
  }

  /**
   * Adds or replaces documents of this business. `indexedAt` marks them for a
   * rebuild (removeIndexedBefore); it defaults to now. Writes return once
   * Meilisearch has accepted them unless `applied` (src/tenancy/search-client.ts).
   */
  async put<I extends TenantIndex>(index: I, documents: TenantDocument<I>[], { indexedAt = Date.now(), ...options }: WriteOptions & { indexedAt?: number } = {}): Promise<void> {
    if (!documents.length) return;
    const rows = documents.map((d) => ({ ...d, uid: this.uid(d.id), tenant_id: this.businessId, indexed_at: indexedAt }));
    await this.backend.write(`indexing ${rows.length} ${index}`, (client) => client.index(this.backend.names[index]).addDocuments(rows), options);
  }

  async remove(index: TenantIndex, ids: number[], options?: WriteOptions): Promise<void> {
    if (!ids.length) return;
    const uids = ids.map((id) => this.uid(id));
    await this.backend.write(`removing ${ids.length} ${index}`, (client) => client.index(this.backend.names[index]).deleteDocuments(uids), options);
  }

  /** After a rebuild that stamped every live row with `indexedAt`: removes this business's documents it did not write. */
  async removeIndexedBefore(index: TenantIndex, indexedAt: number, options?: WriteOptions): Promise<void> {
    const filter = [tenantCondition(this.businessId), `indexed_at < ${Math.floor(indexedAt)}`];
    await this.backend.write(`removing stale ${index}`, (client) => client.index(this.backend.names[index]).deleteDocuments({ filter }), options);
  }

  /** Every document of this business, in every index (purge). */
  async removeAll(options?: WriteOptions): Promise<void> {
    const filter = tenantCondition(this.businessId);
    for (const index of ["products", "services"] as const) {
      await this.backend.write(`removing every ${index} of a business`, (client) => client.index(this.backend.names[index]).deleteDocuments({ filter }), options);
    }
    await this.removeListing(options);
  }

  /** The business's public listing (published and active; the caller decides). */
  async putListing(listing: Omit<ListingDocument, "id">, options?: WriteOptions): Promise<void> {
    await this.backend.write("indexing a listing", (client) => client.index(this.backend.names.directory).addDocuments([{ ...listing, id: this.businessId }]), options);
  }

  async removeListing(options?: WriteOptions): Promise<void> {
    await this.backend.write("removing a listing", (client) => client.index(this.backend.names.directory).deleteDocument(this.businessId), options);
  }
}

export interface DirectoryQuery {
  q: string;
  industryType?: string;
  city?: string;
  limit: number;
}

/** The public directory: business ids of matching listings, best first (names alphabetically when there is no query). */
export class DirectorySearch {
  constructor(private readonly backend: SearchBackend) {}

  async search(query: DirectoryQuery): Promise<number[]> {
    const filter = [query.industryType && `industry_type = ${quoted(query.industryType)}`, query.city && `city = ${quoted(query.city)}`].filter(
      (f): f is string => !!f,
    );
    const response = await this.backend.read((client) =>
      client.index(this.backend.names.directory).search(query.q, {
        filter,
        limit: query.limit,
        sort: query.q ? undefined : ["name:asc"],
        // Every word must match (each may carry a typo): "dosa pune" is a dosa place in Pune, not every dosa place.
        matchingStrategy: "all",
        attributesToRetrieve: ["id"],
      }),
    );
    return response.hits.map((hit) => Number(hit.id));
  }
}

export function createSearch(config: SearchConfig) {
  const backend = createSearchBackend(config);
  return {
    names: backend.names as IndexNames,
    forTenant: (businessId: number) => new TenantSearch(backend, businessId),
    directory: new DirectorySearch(backend),
    /** Indexes, settings and the token key in place; rejects (SERVICE_UNAVAILABLE) while Meilisearch is unreachable. */
    setup: () => backend.setup(),
    healthy: () => backend.healthy(),
    /** Test runs and benchmarks only: removes this prefix's indexes and token key. */
    drop: () => backend.drop(),
  };
}

export type SearchService = ReturnType<typeof createSearch>;
