import { desc, eq } from "drizzle-orm";
import { businessTenants, type TenantStatus } from "../../db/schema/index.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";

/** Businesses across the platform, newest first (operators: `bun run tenant list`). */
export function listTenants(scope: AdminScope, options: { status?: TenantStatus; limit: number }) {
  return scope.db
    .select({
      businessId: businessTenants.id,
      tenantKey: businessTenants.tenantKey,
      slug: businessTenants.slug,
      name: businessTenants.name,
      status: businessTenants.status,
      industryType: businessTenants.industryType,
      createdAt: businessTenants.createdAt,
      deletedAt: businessTenants.deletedAt,
    })
    .from(businessTenants)
    .where(options.status ? eq(businessTenants.status, options.status) : undefined)
    .orderBy(desc(businessTenants.id))
    .limit(options.limit);
}
