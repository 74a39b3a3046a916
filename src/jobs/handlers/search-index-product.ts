/** Brings one product's search document up to date (queued by products.create / update / delete in their transaction). */
import { defineRowIndexingJob } from "../search-indexing.ts";

export const searchIndexProduct = defineRowIndexingJob("search.index-product", "product", "products");
