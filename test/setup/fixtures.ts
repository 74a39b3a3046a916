/**
 * Fixtures: each test makes its own users, businesses, catalogue rows, bookings
 * and orders through the real services in real scopes (RLS, plan limits, audit
 * rows and the stock ledger all apply; nothing is truncated, nothing mocked).
 * Only the principal is ever "faked", by opening a session for a user a test
 * created. One user factory (createUser), one member factory (addMember).
 */
import { decodeJwt } from "jose";
import { and, count, eq, sql } from "drizzle-orm";
import { auditLog, businessAccess, businessTenants, inventoryMovements, products, tenantLifecycleEvents, users } from "../../src/db/schema/index.ts";
import type { MemberRole, PLAN_IDS, TenantStatus } from "../../src/db/schema/enums.ts";
import { hashPassword } from "../../src/lib/passwords.ts";
import { login } from "../../src/services/auth/login.ts";
import type { TokenPair } from "../../src/services/auth/schemas.ts";
import { startSession } from "../../src/services/auth/sessions.ts";
import { createCustomerBooking } from "../../src/services/bookings/customer-create.ts";
import { CreateBookingInput } from "../../src/services/bookings/schemas.ts";
import { createService } from "../../src/services/catalog/bookable-services.ts";
import { createCategory } from "../../src/services/catalog/categories.ts";
import { CreateCategoryInput, CreateServiceInput } from "../../src/services/catalog/schemas.ts";
import { createCustomerOrder } from "../../src/services/orders/customer-create.ts";
import { CreateOrderInput } from "../../src/services/orders/schemas.ts";
import { createProduct } from "../../src/services/products/create.ts";
import { CreateProductInput } from "../../src/services/products/schemas.ts";
import { DEFAULT_ROLES, OWNER_PERMISSIONS } from "../../src/services/tenants/permissions.ts";
import { provisionTenant } from "../../src/services/tenants/provision.ts";
import type { TenantScope } from "../../src/tenancy/scopes.ts";
import { rows } from "../../src/tenancy/rows.ts";
import { client } from "./client.ts";
import { deps, scopes } from "./harness.ts";
import { recordSecret } from "./secrets.ts";

let counter = 0;
/** A short string no other test run or test will produce. */
export const unique = (prefix = "") => `${prefix}${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface TestUser {
  userId: number;
  email: string;
  password: string;
}

/** A user with a live session of its own. */
export interface Principal extends TestUser {
  token: string;
  refreshToken: string;
  sessionId: string;
}

// One argon2 hash shared by every test account: hundreds of users must not cost hundreds of hashes.
const PASSWORD = recordSecret(`pw-${crypto.randomUUID()}`);
let passwordHash: Promise<string> | undefined;

/**
 * A platform account (written as the platform role, the way auth.register writes
 * it, without paying for a hash each time); it signs in with `password`.
 */
export async function createUser(options: { superAdmin?: boolean; name?: string } = {}): Promise<TestUser> {
  passwordHash ??= hashPassword(PASSWORD).then((hash) => recordSecret(hash));
  const email = `${unique("u")}@example.test`;
  const hash = await passwordHash;
  const [row] = await scopes.asPlatform((s) => s.db.insert(users).values({ email, name: options.name ?? "Test User", passwordHash: hash }).returning({ id: users.id }));
  if (options.superAdmin) await scopes.asSuperAdmin((s) => s.db.update(users).set({ isSuperAdmin: true }).where(eq(users.id, row!.id)));
  return { userId: row!.id, email, password: PASSWORD };
}

/** Signs in with the user's password, as auth.login does (throttling included). */
export async function signIn(user: TestUser, ip: string | null = null): Promise<TokenPair> {
  const pair = await login(scopes.asPlatform, deps.tokens, { email: user.email, password: user.password }, { ip, userAgent: "test" });
  recordSecret(pair.accessToken);
  recordSecret(pair.refreshToken);
  return pair;
}

/** A new session for `user`, without paying for a password check. */
export async function newSession(user: TestUser): Promise<Principal> {
  const pair = await scopes.asPlatform((s) => startSession(s, deps.tokens, user.userId, { ip: null, userAgent: "fixtures" }));
  recordSecret(pair.accessToken);
  recordSecret(pair.refreshToken);
  return { ...user, token: pair.accessToken, refreshToken: pair.refreshToken, sessionId: String(decodeJwt(pair.accessToken).sid) };
}

/** A user and its access token in one step, signed in through the password check. */
export async function signedInUser(options: { superAdmin?: boolean } = {}) {
  const user = await createUser(options);
  const tokens = await signIn(user);
  return { ...user, token: tokens.accessToken, refreshToken: tokens.refreshToken };
}

/** A platform account with a live session (a customer, or a member-to-be). */
export async function quickUser(name = "Quick Customer"): Promise<Principal> {
  return newSession(await createUser({ name }));
}

export interface TestTenant {
  businessId: number;
  tenantKey: string;
  slug: string;
}

/** Fixtures set up many businesses for one owner; the per-account allowance is tested through the API (test/provisioning/allowance.test.ts). */
const FIXTURE_POLICY = { trialPlanId: "standard", maxBusinessesPerUser: 1_000_000 };

/**
 * Provisions a business owned by `owner` and moves it to `status` (default active).
 * With `plan`, the business asks for that plan and the trial runs on it (the
 * fuzz arenas use enterprise, so plan limits never stop a call); without, free.
 */
export async function createTenant(owner: TestUser, options: { status?: TenantStatus; name?: string; plan?: (typeof PLAN_IDS)[number] } = {}): Promise<TestTenant> {
  const tenant = await scopes.asNewTenant(owner.userId, (s) =>
    provisionTenant(
      s,
      owner.userId,
      { name: options.name ?? `Shop ${unique()}`, industryType: "retail", subscriptionPlanId: options.plan ?? "free", tenantTier: "standard", dataResidency: "in" },
      { policy: { ...FIXTURE_POLICY, trialPlanId: options.plan ?? FIXTURE_POLICY.trialPlanId } },
    ),
  );
  await setTenantStatus(tenant.businessId, options.status ?? "active");
  return { businessId: tenant.businessId, tenantKey: tenant.tenantKey, slug: tenant.slug };
}

export async function setTenantStatus(businessId: number, status: TenantStatus): Promise<void> {
  await scopes.asSuperAdmin(async (s) => {
    await s.db
      .update(businessTenants)
      .set({ status, deletedAt: status === "closed" ? sql`now()` : null })
      .where(eq(businessTenants.id, businessId));
    await s.db.insert(tenantLifecycleEvents).values({ businessId, toStatus: status, reason: "test fixture" });
  });
}

/** What a role's members hold by default: owners everything, others their DEFAULT_ROLES entry. */
export const defaultPermissions = (role: MemberRole): string[] =>
  role === "owner" ? [...OWNER_PERMISSIONS] : [...(DEFAULT_ROLES.find((r) => r.name === role)?.permissions ?? [])];

/** Makes `user` a member of `tenant` in `role`, with the role's default permissions unless others are given. */
export async function addMember(tenant: TestTenant, user: TestUser, role: MemberRole, permissions = defaultPermissions(role)): Promise<void> {
  await scopes.asTenant(tenant.businessId, (s) =>
    s.db.insert(businessAccess).values({ businessId: tenant.businessId, userId: user.userId, role, permissions }),
  );
}

/** A new member of `tenant` with a session (addMember on a new user). */
export async function member(tenant: TestTenant, role: "manager" | "staff", permissions?: string[]): Promise<Principal> {
  const user = await quickUser(`A ${role}`);
  await addMember(tenant, user, role, permissions);
  return user;
}

/** An owner (with a session) and its active business, plus a client acting for that business. */
export async function shop(options: { name?: string } = {}) {
  const owner = await quickUser("Shop Owner");
  const tenant = await createTenant(owner, options);
  return { owner, tenant, api: client({ token: owner.token, tenant: tenant.tenantKey }) };
}

type Who = { userId: number };
type Where = { businessId: number };

/** Runs a tenant service as `actor` in `tenant`, the way a tenant procedure would. */
const asMember = <T>(actor: Who, tenant: Where, fn: (scope: TenantScope) => Promise<T>) =>
  scopes.asTenant(tenant.businessId, fn, { userId: actor.userId });

export function makeCategory(actor: Who, tenant: Where, input: Partial<CreateCategoryInput> = {}) {
  return asMember(actor, tenant, (s) => createCategory(s, CreateCategoryInput.parse({ name: `Category ${unique()}`, ...input })));
}

export function makeProduct(actor: Who, tenant: Where, input: Partial<CreateProductInput> = {}) {
  return asMember(actor, tenant, (s) => createProduct(s, CreateProductInput.parse({ name: `Product ${unique()}`, priceCents: 1000, ...input })));
}

export function makeService(actor: Who, tenant: Where, input: Partial<CreateServiceInput> = {}) {
  return asMember(actor, tenant, (s) =>
    createService(s, CreateServiceInput.parse({ name: `Service ${unique()}`, durationMinutes: 30, priceCents: 500, ...input })),
  );
}

/** A time `hours` from now on a whole minute, so slots computed from it line up exactly. */
export const inHours = (hours: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + hours * 3_600_000);

export function makeBooking(customer: Who, tenant: TestTenant, input: { serviceId: number; startsAt?: Date; staffUserId?: number }) {
  const parsed = CreateBookingInput.parse({ tenantKey: tenant.tenantKey, startsAt: inHours(24 + Math.random() * 1000), ...input });
  return scopes.asCustomer(customer.userId, (s) => createCustomerBooking(s, parsed));
}

export function makeOrder(customer: Who, tenant: TestTenant, items: { productId: number; quantity: number }[]) {
  const parsed = CreateOrderInput.parse({ tenantKey: tenant.tenantKey, items });
  return scopes.asCustomer(customer.userId, (s) => createCustomerOrder(s, parsed));
}

/** Rows of `table` the business holds, counted through the tenant role (RLS shows this business only). */
export async function countRows(tenant: Where, table: string): Promise<number> {
  const [row] = await scopes.asTenant(tenant.businessId, (s) => rows<{ n: number }>(s.db, sql`select count(*)::int as n from ${sql.identifier(table)}`), {
    readOnly: true,
  });
  return row!.n;
}

/** Row counts of several tables at once: compare before/after a refused call. */
export async function snapshot(tenant: Where, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = await countRows(tenant, t);
  return out;
}

/** The business's audit rows, optionally for one action and entity id. */
export function auditRows(tenant: Where, filter: { action?: string; entityId?: string | number } = {}) {
  return scopes.asTenant(
    tenant.businessId,
    (s) =>
      s.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.businessId, tenant.businessId),
            filter.action ? eq(auditLog.action, filter.action) : undefined,
            filter.entityId === undefined ? undefined : eq(auditLog.entityId, String(filter.entityId)),
          ),
        ),
    { readOnly: true },
  );
}

/** A product's stock and the sum of its ledger entries, read as the business. */
export function stockAndLedger(tenant: Where, productId: number) {
  return scopes.asTenant(
    tenant.businessId,
    async (s) => {
      const [product] = await s.db.select({ stock: products.stock }).from(products).where(eq(products.id, productId));
      const [ledger] = await s.db
        .select({ sum: sql<number>`coalesce(sum(${inventoryMovements.delta}), 0)::int`, entries: count() })
        .from(inventoryMovements)
        .where(eq(inventoryMovements.productId, productId));
      return { stock: product!.stock, ledger: Number(ledger!.sum), entries: ledger!.entries };
    },
    { readOnly: true },
  );
}
