/** Bookable services (a haircut, a table, a consultation): what customers book. */
import { asc, eq } from "drizzle-orm";
import { pick } from "../../db/pick.ts";
import { services } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { businessCurrency } from "./currency.ts";
import { ServiceView, type CreateServiceInput } from "./schemas.ts";

const COLUMNS = pick(services, ServiceView);

export async function createService(scope: TenantScope, input: CreateServiceInput): Promise<ServiceView> {
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
    .returning(COLUMNS);
  await recordAudit(scope, { action: "service.create", entityType: "service", entityId: row!.id });
  await scope.jobs.send("search.index-service", { id: row!.id });
  return row!;
}

export function listServices(scope: TenantScope): Promise<ServiceView[]> {
  return scope.db.select(COLUMNS).from(services).where(eq(services.businessId, scope.businessId)).orderBy(asc(services.name));
}
