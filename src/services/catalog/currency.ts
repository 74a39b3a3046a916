import { eq } from "drizzle-orm";
import { businessSettings } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

/** The business's currency, the default for new prices. */
export async function businessCurrency(scope: TenantScope): Promise<string> {
  const [settings] = await scope.db
    .select({ currency: businessSettings.currency })
    .from(businessSettings)
    .where(eq(businessSettings.businessId, scope.businessId));
  return settings?.currency ?? "INR";
}
