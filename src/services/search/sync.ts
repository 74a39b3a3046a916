/**
 * Bringing one row's document up to date: what the indexing jobs run.
 *
 * Two jobs for the same row (two quick updates) may run at once. Each takes a
 * transaction-scoped advisory lock on the row before reading it and holds it
 * until Meilisearch has accepted its write, so the second reads the row only
 * after the first's write is queued, and Meilisearch applies writes in the
 * order it accepted them: the last write is always of the latest row.
 */
import { sql } from "drizzle-orm";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { TenantDocument, TenantIndex } from "../../tenancy/search-indexes.ts";
import { listingDocument, productDocument, serviceDocument } from "./documents.ts";

/** The advisory lock's name for one document of the business: the jobs and a rebuild must agree on it. */
const lockKey = (scope: TenantScope, what: string) => `search:${scope.businessId}:${what}`;

async function lockDocument(scope: TenantScope, what: string): Promise<void> {
  await scope.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey(scope, what)}, 0))`);
}

/** The same locks for many rows at once (a rebuild's page), in id order so two lockers cannot deadlock. */
export async function lockDocuments(scope: TenantScope, index: TenantIndex, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const keys = [...ids].sort((a, b) => a - b).map((id) => lockKey(scope, `${index}:${id}`));
  // One text parameter (keys hold no commas): drizzle would spread an array into a row of parameters.
  await scope.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(string_to_array(${keys.join(",")}, ',')) with ordinality as t(k, n) order by n`);
}

/** One row's document per index: null when the row is gone or deleted. */
const DOCUMENT: { [I in TenantIndex]: (scope: TenantScope, id: number) => Promise<TenantDocument<I> | null> } = {
  products: productDocument,
  services: serviceDocument,
};

/** Indexes the row (a product, a bookable service) as it is now, or removes it when it is gone or deleted. */
export async function syncRow(scope: TenantScope, index: TenantIndex, id: number): Promise<"indexed" | "removed"> {
  await lockDocument(scope, `${index}:${id}`);
  const document = await DOCUMENT[index](scope, id);
  if (document) await scope.search.put(index, [document]);
  else await scope.search.remove(index, [id]);
  return document ? "indexed" : "removed";
}

/** Puts the business's listing in the public directory, or takes it out (unpublished, suspended, closed, purged). */
export async function syncListing(scope: TenantScope): Promise<"indexed" | "removed"> {
  await lockDocument(scope, "listing");
  const listing = await listingDocument(scope);
  if (listing) await scope.search.putListing(listing);
  else await scope.search.removeListing();
  return listing ? "indexed" : "removed";
}
