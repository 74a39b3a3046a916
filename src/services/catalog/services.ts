import { asc, eq } from "drizzle-orm";
import { businessSettings, services } from "../../db/schema/index.ts";
import { TTL } from "../../tenancy/cache-keys.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import type { CreateServiceInput } from "./schemas.ts";

/**
 * The business's regional settings, read by every product and service created.
 * Only provisioning writes them today (before anything is cached); whatever comes
 * to change them must call scope.cache.invalidate("settings", "current").
 */
export function businessSettingsOf(scope: TenantScope) {
  return scope.cache.getOrCompute(
    "settings",
    "current",
    async () => {
      const [row] = await scope.db
        .select({ timezone: businessSettings.timezone, currency: businessSettings.currency, locale: businessSettings.locale })
        .from(businessSettings)
        .where(eq(businessSettings.businessId, scope.businessId));
      return row ?? null;
    },
    TTL.LONG,
  );
}

/** The business's currency, the default for new prices. */
export async function businessCurrency(scope: TenantScope): Promise<string> {
  return (await businessSettingsOf(scope))?.currency ?? "INR";
}

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
