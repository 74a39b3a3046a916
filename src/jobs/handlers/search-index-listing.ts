/**
 * Puts the business's listing in the public directory index or takes it out:
 * queued by directory.update and by every lifecycle transition (a suspended or
 * closed business leaves the directory).
 */
import { z } from "zod";
import { syncListing } from "../../services/search/sync.ts";
import { defineTenantJob } from "../definition.ts";
import { INDEXING_POLICY, indexingGaveUp } from "../search-indexing.ts";

export const searchIndexListing = defineTenantJob({
  type: "search.index-listing",
  data: z.object({}),
  policy: INDEXING_POLICY,
  async run({ scope, log }) {
    log.debug({ outcome: await syncListing(scope) }, "directory listing synced");
  },
  onDeadLetter: indexingGaveUp("directory", () => null),
});
