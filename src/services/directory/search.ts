import { and, asc, eq, ilike, or } from "drizzle-orm";
import { businessDirectory, businessTenants } from "../../db/schema/index.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";
import type { DirectorySearchInput, ListingView } from "./schemas.ts";

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Published listings of open businesses only (RLS on both tables enforces that for the platform role). */
export function searchDirectory(scope: PlatformScope, input: DirectorySearchInput): Promise<ListingView[]> {
  return scope.db
    .select({
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
        eq(businessDirectory.published, true),
        input.q ? or(ilike(businessDirectory.displayName, like(input.q)), ilike(businessDirectory.description, like(input.q))) : undefined,
        input.industryType ? eq(businessDirectory.industryType, input.industryType) : undefined,
        input.city ? ilike(businessDirectory.city, like(input.city)) : undefined,
      ),
    )
    .orderBy(asc(businessDirectory.displayName))
    .limit(input.limit);
}
