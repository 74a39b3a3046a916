/** Brings one bookable service's search document up to date (queued by services.create in its transaction). */
import { defineRowIndexingJob } from "../search-indexing.ts";

export const searchIndexService = defineRowIndexingJob("search.index-service", "service", "services");
