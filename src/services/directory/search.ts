import { and, eq, inArray, sql } from "drizzle-orm";
import { businessDirectory, businessTenants } from "../../db/schema/index.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";
import type { DirectorySearchInput, ListingView } from "./schemas.ts";

/**
 * Published listings of active businesses, found by Meilisearch (typo-tolerant
 * over name, industry, city and description; industry and city also filter).
 *
 * The index ranks; PostgreSQL decides. Matching ids are read back on the
 * platform role, whose policies show only published listings of open
 * businesses, and filtered again by industry and city: a listing unpublished or
 * a business suspended a moment ago (its index job not run yet) is not shown,
 * and what is shown is the listing as it is now. A few spare hits are asked for
 * so that such a leftover does not shorten the page.
 */
export async function searchDirectory(scope: PlatformScope, input: DirectorySearchInput): Promise<ListingView[]> {
  const ids = await scope.search.search({ q: input.q ?? "", industryType: input.industryType, city: input.city, limit: Math.min(input.limit + 20, 200) });
  if (!ids.length) return [];
  const rows = await scope.db
    .select({
      businessId: businessDirectory.businessId,
      tenantKey: businessTenants.tenantKey,
      slug: businessTenants.slug,
      name: businessDirectory.displayName,
      description: businessDirectory.description,
      city: businessDirectory.city,
      industryType: businessDirectory.industryType,
    })
    .from(businessDirectory)
    .innerJoin(businessTenants, eq(businessTenants.id, businessDirectory.businessId))
    .where(
      and(
        inArray(businessDirectory.businessId, ids),
        eq(businessDirectory.published, true),
        input.industryType ? eq(businessDirectory.industryType, input.industryType) : undefined,
        input.city ? sql`lower(${businessDirectory.city}) = lower(${input.city})` : undefined,
      ),
    );
  const byId = new Map(rows.map(({ businessId, ...listing }) => [businessId, listing]));
  return ids.flatMap((id) => byId.get(id) ?? []).slice(0, input.limit);
}
