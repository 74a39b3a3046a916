import { issueSearchToken, searchProducts, searchServices } from "../../services/search/query.ts";
import { ProductResults, ProductSearchInput, SearchTokenView, ServiceResults, ServiceSearchInput } from "../../services/search/schemas.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/**
 * A database read rides behind the request's access check in one round trip; a
 * search cannot, so it waits for the check: a refused caller never reaches Meilisearch.
 */
const afterAccess = <T>(ctx: { tenant: Promise<unknown> }, fn: () => Promise<T>) => ctx.tenant.then(fn);

/**
 * Search over the business's catalogue (Meilisearch): hits of this business
 * only, whatever the filter says. SERVICE_UNAVAILABLE while Meilisearch is down.
 */
export const searchRouter = router({
  products: tenantProcedureWith("catalog:read")
    .input(ProductSearchInput)
    .output(ProductResults)
    .query(({ ctx, input }) => afterAccess(ctx, () => searchProducts(ctx.scope, input))),
  services: tenantProcedureWith("catalog:read")
    .input(ServiceSearchInput)
    .output(ServiceResults)
    .query(({ ctx, input }) => afterAccess(ctx, () => searchServices(ctx.scope, input))),
  /** A Meilisearch tenant token (search only, this business only, an hour) for clients that query Meilisearch directly. */
  token: tenantProcedureWith("catalog:read").output(SearchTokenView).query(({ ctx }) => afterAccess(ctx, () => issueSearchToken(ctx.scope))),
});
