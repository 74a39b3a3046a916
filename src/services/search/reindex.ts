/**
 * Rebuilds one business's search documents from its rows (`bun run tenant
 * reindex`): after a Meilisearch restore, a settings change, or an indexing job
 * that ran out of retries.
 *
 * Search keeps answering throughout: every live row is written again stamped
 * with the rebuild's start time, then the business's documents stamped earlier
 * (rows deleted since they were indexed) are removed. An indexing job running
 * meanwhile stamps its write later than the start, so the clean-up keeps it.
 * Each page is read in its own short transaction, so a large business does not
 * hold one open for the whole rebuild, and with its rows locked the way the
 * indexing jobs lock them, so a rebuild never writes back a row a job has
 * since changed or removed.
 */
import type { Scopes, TenantScope } from "../../tenancy/scopes.ts";
import type { TenantIndex } from "../../tenancy/search-indexes.ts";
import { productDocuments, serviceDocuments } from "./documents.ts";
import { lockDocuments, syncListing } from "./sync.ts";

export interface ReindexProgress {
  index: TenantIndex;
  done: number;
}

export interface ReindexResult {
  products: number;
  services: number;
  listing: "indexed" | "removed";
  /** Milliseconds. */
  tookMs: number;
}

const PAGE = 1_000;

type Page = (scope: TenantScope, afterId: number, limit: number) => Promise<{ documents: { id: number }[]; lastId: number | null }>;

/** Each index's rows, a page at a time in id order. */
const PAGES: Record<TenantIndex, Page> = { products: productDocuments, services: serviceDocuments };

async function rebuild(scopes: Scopes, businessId: number, index: TenantIndex, stamp: number, onProgress: (p: ReindexProgress) => void): Promise<number> {
  const page = PAGES[index];
  let done = 0;
  for (let afterId = 0; ; ) {
    const lastId = await scopes.asTenant(businessId, async (scope) => {
      const first = await page(scope, afterId, PAGE);
      // Lock the rows (as their indexing jobs do), then read them again: a change committed in between is what gets
      // written, and a job for a row changed after this waits until this write is in, then writes the newer state.
      const ids = new Set(first.documents.map((d) => d.id));
      await lockDocuments(scope, index, [...ids]);
      const documents = (await page(scope, afterId, PAGE)).documents.filter((d) => ids.has(d.id));
      await scope.search.put(index, documents as never[], { indexedAt: stamp, applied: true });
      done += documents.length;
      return first.lastId;
    });
    onProgress({ index, done });
    if (lastId === null) break;
    afterId = lastId;
  }
  await scopes.asTenant(businessId, (scope) => scope.search.removeIndexedBefore(index, stamp, { applied: true }), { readOnly: true });
  return done;
}

export async function reindexBusiness(scopes: Scopes, businessId: number, onProgress: (p: ReindexProgress) => void = () => {}): Promise<ReindexResult> {
  const started = Date.now();
  const products = await rebuild(scopes, businessId, "products", started, onProgress);
  const services = await rebuild(scopes, businessId, "services", started, onProgress);
  const listing = await scopes.asTenant(businessId, (scope) => syncListing(scope));
  return { products, services, listing, tookMs: Date.now() - started };
}
