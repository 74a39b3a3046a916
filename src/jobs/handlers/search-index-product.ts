/** Brings one product's search document up to date (queued by products.create / update / delete in their transaction). */
import { z } from "zod";
import { Id } from "../../lib/schemas.ts";
import { syncProduct } from "../../services/search/sync.ts";
import { defineTenantJob } from "../definition.ts";
import { INDEXING_POLICY, indexingGaveUp } from "../search-indexing.ts";

export const searchIndexProduct = defineTenantJob({
  type: "search.index-product",
  data: z.object({ id: Id }),
  policy: INDEXING_POLICY,
  async run({ scope, data, log }) {
    log.debug({ productId: data.id, outcome: await syncProduct(scope, data.id) }, "product search document synced");
  },
  onDeadLetter: indexingGaveUp("product", (data: { id: number }) => data.id),
});
