/**
 * First-run data: the first super admin (from PLATFORM_ADMIN_EMAIL/PASSWORD) and
 * a demo business a newcomer can call at once. Both are skipped when present.
 */
import { eq } from "drizzle-orm";
import { users } from "../db/schema/index.ts";
import { Email } from "../lib/schemas.ts";
import { register } from "../services/auth/register.ts";
import { activateTenant } from "../services/lifecycle/activate.ts";
import { provisionTenant } from "../services/tenants/provision.ts";
import type { Scopes } from "../tenancy/scopes.ts";

/**
 * Creates the first super admin from PLATFORM_ADMIN_EMAIL/PASSWORD when there is
 * none. An account that already has that e-mail is never promoted: registration
 * checks no e-mail ownership, so anyone could have registered the address first.
 */
export async function ensurePlatformAdmin(scopes: Scopes, email: string, password: string): Promise<"created" | "exists" | "taken"> {
  const existing = await scopes.asSuperAdmin(async (s) => s.db.select({ id: users.id }).from(users).where(eq(users.isSuperAdmin, true)).limit(1));
  if (existing.length) return "exists";
  // Stored as every account's e-mail is (the schema lowercases). It checks the address before its own trim, so trim a padded one first.
  const normalised = Email.parse(email.trim());
  const found = await scopes.asPlatform((s) => s.db.select({ id: users.id }).from(users).where(eq(users.email, normalised)));
  if (found.length) return "taken";
  const { userId } = await register(scopes.asPlatform, { email: normalised, password, name: "Platform admin" });
  await scopes.asSuperAdmin((s) => s.db.update(users).set({ isSuperAdmin: true }).where(eq(users.id, userId)));
  return "created";
}

export const DEMO_EMAIL = "demo@desibazaar.local";

/** Creates the demo owner and business once; returns the password only when it was just created. */
export async function ensureDemoBusiness(scopes: Scopes): Promise<{ email: string; password: string; slug: string } | null> {
  const found = await scopes.asPlatform((s) => s.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_EMAIL)));
  if (found.length) return null;
  const password = `demo-${crypto.randomUUID().slice(0, 13)}`;
  const { userId } = await register(scopes.asPlatform, { email: DEMO_EMAIL, password, name: "Demo Owner" });
  const tenant = await scopes.asNewTenant(userId, (s) =>
    provisionTenant(s, userId, { name: "Demo Salon", industryType: "salon", subscriptionPlanId: "standard", tenantTier: "standard", dataResidency: "in" }),
  );
  await scopes.asSuperAdmin((s) => activateTenant(s, tenant.tenantKey, { actor: { userId: null, via: "seed" }, reason: "demo seed" }));
  return { email: DEMO_EMAIL, password, slug: tenant.slug };
}
