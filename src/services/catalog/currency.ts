import { eq } from "drizzle-orm";
import { businessSettings } from "../../db/schema/index.ts";
import { TTL } from "../../tenancy/cache-keys.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

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
