/**
 * Fixtures: each test makes its own users and businesses through the real
 * services (nothing is truncated, nothing is mocked). Only the principal is
 * ever "faked", by signing in as the user a test created.
 */
import { eq, sql } from "drizzle-orm";
import { businessAccess, businessTenants, tenantLifecycleEvents, users } from "../../src/db/schema/index.ts";
import { login } from "../../src/services/auth/login.ts";
import { register } from "../../src/services/auth/register.ts";
import { provisionTenant } from "../../src/services/tenants/provision.ts";
import type { TokenPair } from "../../src/services/auth/schemas.ts";
import { scopes, deps } from "./harness.ts";
import { recordSecret } from "./secrets.ts";

let counter = 0;
/** A short string no other test run or test will produce. */
export const unique = (prefix = "") => `${prefix}${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface TestUser {
  userId: number;
  email: string;
  password: string;
}

export async function createUser(options: { superAdmin?: boolean; name?: string } = {}): Promise<TestUser> {
  const email = `${unique("u")}@example.test`;
  const password = recordSecret(`pw-${crypto.randomUUID()}`);
  const { userId } = await register(scopes.asPlatform, { email, password, name: options.name ?? "Test User" });
  if (options.superAdmin) await scopes.asSuperAdmin((s) => s.db.update(users).set({ isSuperAdmin: true }).where(eq(users.id, userId)));
  return { userId, email, password };
}

export async function signIn(user: TestUser, ip: string | null = null): Promise<TokenPair> {
  const pair = await login(scopes.asPlatform, deps.tokens, { email: user.email, password: user.password }, { ip, userAgent: "test" });
  recordSecret(pair.accessToken);
  recordSecret(pair.refreshToken);
  return pair;
}

/** A user and its access token in one step. */
export async function signedInUser(options: { superAdmin?: boolean } = {}) {
  const user = await createUser(options);
  const tokens = await signIn(user);
  return { ...user, token: tokens.accessToken, refreshToken: tokens.refreshToken };
}

export interface TestTenant {
  businessId: number;
  tenantKey: string;
  slug: string;
}

type Status = "pending" | "active" | "suspended" | "closed";

/** Fixtures set up many businesses for one owner; the per-account allowance is tested through the API (test/provisioning/allowance.test.ts). */
const FIXTURE_POLICY = { trialPlanId: "standard", maxBusinessesPerUser: 1_000_000 };

/** Provisions a business owned by `owner` and moves it to `status` (default active). */
export async function createTenant(owner: TestUser, options: { status?: Status; name?: string } = {}): Promise<TestTenant> {
  const tenant = await scopes.asNewTenant(owner.userId, (s) =>
    provisionTenant(
      s,
      owner.userId,
      { name: options.name ?? `Shop ${unique()}`, industryType: "retail", subscriptionPlanId: "free", tenantTier: "standard", dataResidency: "in" },
      { policy: FIXTURE_POLICY },
    ),
  );
  await setTenantStatus(tenant.businessId, options.status ?? "active");
  return { businessId: tenant.businessId, tenantKey: tenant.tenantKey, slug: tenant.slug };
}

export async function setTenantStatus(businessId: number, status: Status): Promise<void> {
  await scopes.asSuperAdmin(async (s) => {
    await s.db
      .update(businessTenants)
      .set({ status, deletedAt: status === "closed" ? sql`now()` : null })
      .where(eq(businessTenants.id, businessId));
    await s.db.insert(tenantLifecycleEvents).values({ businessId, toStatus: status, reason: "test fixture" });
  });
}

export async function addMember(
  tenant: TestTenant,
  user: TestUser,
  role: "owner" | "manager" | "staff",
  permissions: string[] = [],
): Promise<void> {
  await scopes.asTenant(tenant.businessId, (s) =>
    s.db.insert(businessAccess).values({ businessId: tenant.businessId, userId: user.userId, role, permissions }),
  );
}
