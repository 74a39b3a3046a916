/**
 * Removes every search document of a purged business: queued inside the
 * purge's transaction (src/services/lifecycle/purge.ts), so it exists exactly
 * when the purge commits, and retried until Meilisearch has done it. It runs
 * as the business, although the business is gone: the search handle deletes
 * by `tenant_id = <business>`, nothing else.
 */
import { z } from "zod";
import { defineTenantJob } from "../definition.ts";
import { INDEXING_POLICY } from "../search-indexing.ts";

export const searchPurgeBusiness = defineTenantJob({
  type: "search.purge-business",
  data: z.object({}),
  policy: INDEXING_POLICY,
  async run({ scope, log }) {
    await scope.search.removeAll({ applied: true });
    log.info("search documents of the purged business removed");
  },
  // No audit row to write: the business's log went with it. The error is in the job log (tenant-jobs.dead).
});
