/** Brings one bookable service's search document up to date (queued by services.create in its transaction). */
import { z } from "zod";
import { Id } from "../../lib/schemas.ts";
import { syncService } from "../../services/search/sync.ts";
import { defineTenantJob } from "../definition.ts";
import { INDEXING_POLICY, indexingGaveUp } from "../search-indexing.ts";

export const searchIndexService = defineTenantJob({
  type: "search.index-service",
  data: z.object({ id: Id }),
  policy: INDEXING_POLICY,
  async run({ scope, data, log }) {
    log.debug({ serviceId: data.id, outcome: await syncService(scope, data.id) }, "service search document synced");
  },
  onDeadLetter: indexingGaveUp("service", (data: { id: number }) => data.id),
});
