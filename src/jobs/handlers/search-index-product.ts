/** Brings one product's search document up to date (queued by products.create / update / delete in their transaction). */
import { syncProduct } from "../../services/search/sync.ts";
import { defineRowIndexingJob } from "../search-indexing.ts";

export const searchIndexProduct = defineRowIndexingJob("search.index-product", "product", syncProduct);
