/** Bookable services (a haircut, a table, a consultation): what customers book. */
import { asc, eq } from "drizzle-orm";
import { services } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { businessCurrency } from "./currency.ts";
import type { CreateServiceInput } from "./schemas.ts";

export async function createService(scope: TenantScope, input: CreateServiceInput) {
  const [row] = await scope.db
    .insert(services)
    .values({
      businessId: scope.businessId,
      name: input.name,
      description: input.description,
      durationMinutes: input.durationMinutes,
      priceCents: input.priceCents,
      currency: input.currency ?? (await businessCurrency(scope)),
    })
    .returning();
  await recordAudit(scope, { action: "service.create", entityType: "service", entityId: row!.id });
  return row!;
}

export function listServices(scope: TenantScope) {
  return scope.db.select().from(services).where(eq(services.businessId, scope.businessId)).orderBy(asc(services.name));
}
