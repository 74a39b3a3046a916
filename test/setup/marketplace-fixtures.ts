/**
 * Marketplace fixtures: catalogue rows, bookings and orders made through the
 * real services in real scopes (RLS, plan limits, audit rows and the stock
 * ledger all apply), plus quick accounts and counters read through the tenant
 * role. Nothing here bypasses a check the API would make, except that quick
 * accounts skip password hashing (they sign in through a session, not a password).
 */
import { and, count, eq, sql } from "drizzle-orm";
import { auditLog, inventoryMovements, products, users } from "../../src/db/schema/index.ts";
import { hashPassword } from "../../src/lib/passwords.ts";
import { createCustomerBooking } from "../../src/services/bookings/customer-create.ts";
import { CreateBookingInput } from "../../src/services/bookings/schemas.ts";
import { createCategory } from "../../src/services/catalog/categories.ts";
import { CreateCategoryInput, CreateServiceInput } from "../../src/services/catalog/schemas.ts";
import { createService } from "../../src/services/catalog/bookable-services.ts";
import { createCustomerOrder } from "../../src/services/orders/customer-create.ts";
import { CreateOrderInput } from "../../src/services/orders/schemas.ts";
import { createProduct } from "../../src/services/products/create.ts";
import { CreateProductInput } from "../../src/services/products/schemas.ts";
import { DEFAULT_ROLES } from "../../src/services/tenants/permissions.ts";
import { client } from "./client.ts";
import type { TenantScope } from "../../src/tenancy/scopes.ts";
import { addMember, createTenant, unique, type TestTenant } from "./fixtures.ts";
import { scopes } from "./harness.ts";
import { recordSecret } from "./secrets.ts";
import { newSession, type Principal } from "./security-matrix.ts";

type Who = { userId: number };
type Where = { businessId: number };

// One argon2 hash shared by every quick account: 50 concurrent customers must not cost 50 hashes.
const QUICK_PASSWORD = recordSecret(`pw-quick-${crypto.randomUUID()}`);
let quickHash: Promise<string> | undefined;

/** A platform account with a live session, without paying for a password hash each time. */
export async function quickUser(name = "Quick Customer"): Promise<Principal> {
  quickHash ??= hashPassword(QUICK_PASSWORD);
  const email = `${unique("q")}@example.test`;
  const passwordHash = await quickHash;
  const [row] = await scopes.asPlatform((s) => s.db.insert(users).values({ email, name, passwordHash }).returning({ id: users.id }));
  return newSession({ userId: row!.id, email, password: QUICK_PASSWORD });
}

/** An owner (with a session) and its active business, plus a client acting for that business. */
export async function shop(options: { name?: string } = {}) {
  const owner = await quickUser("Shop Owner");
  const tenant = await createTenant(owner, options);
  return { owner, tenant, api: client({ token: owner.token, tenant: tenant.tenantKey }) };
}

/** A member of `tenant` with a session; permissions default to the role's DEFAULT_ROLES entry. */
export async function member(tenant: TestTenant, role: "manager" | "staff", permissions?: string[]): Promise<Principal> {
  const user = await quickUser(`A ${role}`);
  await addMember(tenant, user, role, permissions ?? [...(DEFAULT_ROLES.find((r) => r.name === role)?.permissions ?? [])]);
  return user;
}

/** Runs a tenant service as `actor` in `tenant`, the way a tenant procedure would. */
const asOwner = <T>(actor: Who, tenant: Where, fn: (scope: TenantScope) => Promise<T>) =>
  scopes.asTenant(tenant.businessId, fn, { userId: actor.userId });

export function makeCategory(actor: Who, tenant: Where, input: Partial<CreateCategoryInput> = {}) {
  return asOwner(actor, tenant, (s) => createCategory(s, CreateCategoryInput.parse({ name: `Category ${unique()}`, ...input })));
}

export function makeProduct(actor: Who, tenant: Where, input: Partial<CreateProductInput> = {}) {
  return asOwner(actor, tenant, (s) => createProduct(s, CreateProductInput.parse({ name: `Product ${unique()}`, priceCents: 1000, ...input })));
}

export function makeService(actor: Who, tenant: Where, input: Partial<CreateServiceInput> = {}) {
  return asOwner(actor, tenant, (s) =>
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
  const rows = await scopes.asTenant(tenant.businessId, (s) => s.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`), {
    readOnly: true,
  });
  return Number((rows as unknown as { n: number }[])[0]!.n);
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
