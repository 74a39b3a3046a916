import { issueSearchToken, searchProducts, searchServices } from "../../services/search/query.ts";
import { ProductResults, ProductSearchInput, SearchTokenView, ServiceResults, ServiceSearchInput } from "../../services/search/schemas.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/** A search runs outside PostgreSQL, so it waits for the access check: a refused caller never reaches Meilisearch. */
const searchProcedure = tenantProcedureWith("catalog:read").meta({ accessFirst: true });

/**
 * Search over the business's catalogue (Meilisearch): hits of this business
 * only, whatever the filter says. SERVICE_UNAVAILABLE while Meilisearch is down.
 */
export const searchRouter = router({
  products: searchProcedure.input(ProductSearchInput).output(ProductResults).query(({ ctx, input }) => searchProducts(ctx.scope, input)),
  services: searchProcedure.input(ServiceSearchInput).output(ServiceResults).query(({ ctx, input }) => searchServices(ctx.scope, input)),
  /** A Meilisearch tenant token (search only, this business only, an hour) for clients that query Meilisearch directly. */
  token: searchProcedure.output(SearchTokenView).query(({ ctx }) => issueSearchToken(ctx.scope)),
});
