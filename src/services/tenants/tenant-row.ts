/**
 * The first provisioning step: the business_tenants row, with a free slug and
 * the idempotency key. Both are settled by unique indexes, so concurrent
 * provisions cannot take one slug twice or create two businesses for one key.
 */
import { sql } from "drizzle-orm";
import { businessTenants, type TenantStatus } from "../../db/schema/index.ts";
import { ConflictError, postgresErrorOf } from "../../lib/errors.ts";
import { rows } from "../../tenancy/rows.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { ProvisionInput } from "./schemas.ts";
import { slugCandidates } from "./slug.ts";

export interface ProvisionedRow {
  id: number;
  tenantKey: string;
  slug: string;
  name: string;
  industryType: string;
  status: TenantStatus;
}

/** Another request with the same idempotency key committed its business first. */
export class ProvisionKeyTaken extends Error {}

const uniqueViolationOn = (error: unknown) => {
  const pg = postgresErrorOf(error);
  return pg?.code === "23505" ? pg.constraint_name : undefined;
};

/** The business this user already provisioned with `key` (app.provisioned_tenant answers for the context's user only). */
export async function findProvisioned(scope: TenantScope, key: string): Promise<ProvisionedRow | null> {
  const [row] = await rows<{ id: string; tenant_key: string; slug: string; name: string; industry_type: string; status: TenantStatus }>(
    scope.db,
    sql`select id, tenant_key, slug, name, industry_type, status from app.provisioned_tenant(${key})`,
  );
  if (!row) return null;
  return { id: Number(row.id), tenantKey: row.tenant_key, slug: row.slug, name: row.name, industryType: row.industry_type, status: row.status };
}

export async function insertTenantRow(scope: TenantScope, ownerUserId: number, input: ProvisionInput): Promise<ProvisionedRow> {
  for (const slug of slugCandidates(input.name)) {
    try {
      // A savepoint per attempt: a collision must not abort the whole provisioning.
      return await scope.db.transaction(async () => {
        const [row] = await scope.db
          .insert(businessTenants)
          .values({
            id: scope.businessId,
            slug,
            name: input.name,
            industryType: input.industryType,
            tenantTier: input.tenantTier,
            dataResidency: input.dataResidency,
            createdByUserId: ownerUserId,
            provisionKey: input.idempotencyKey ?? null,
          })
          .returning();
        return { id: row!.id, tenantKey: row!.tenantKey, slug: row!.slug, name: row!.name, industryType: row!.industryType, status: row!.status };
      });
    } catch (error) {
      const constraint = uniqueViolationOn(error);
      // A concurrent request with the same key waited for this one's row and lost.
      if (constraint === "business_tenants_provision_key") throw new ProvisionKeyTaken();
      if (constraint !== "business_tenants_slug_key") throw error;
    }
  }
  throw new ConflictError("Could not find a free subdomain for this name; try a more distinctive name");
}
