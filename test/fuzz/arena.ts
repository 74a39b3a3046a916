/**
 * Where the fuzz test plays. Business B (another tenant) is filled with rows
 * whose names carry a marker, then suspended: no caller of the fuzz may ever
 * see a marker. Each procedure gets its own business A (on the enterprise plan,
 * so limits do not stop every call early) with an owner, a staff member and a
 * few rows, so a destructive call (closing A, removing a product) spoils that
 * procedure's run only. Every committed row change is recorded by a row trigger
 * in a scratch schema, which is how a failed mutation is shown to have written nothing.
 */
import postgres from "postgres";
import { addMember, createTenant, createUser, makeBooking, makeCategory, makeProduct, makeService, newSession, setTenantStatus, unique, type Principal, type TestTenant } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";
import type { KnownValues } from "./inputs.ts";

export type CallerKind = "anonymous" | "stranger" | "owner" | "staff" | "customer" | "superAdmin";
export const CALLER_KINDS: CallerKind[] = ["anonymous", "stranger", "owner", "staff", "customer", "superAdmin"];

export interface Arena {
  tenant: TestTenant;
  callers: Record<CallerKind, Principal | null>;
  /** Ids and refs of this business, another one and none. */
  known: KnownValues;
  /** This business's own only: what a valid input of its owner would name. */
  own: KnownValues;
}

/** The users every arena shares; sessions are opened per arena (a fuzzed auth.logout ends one). */
export async function cast() {
  const [owner, staff, stranger, customer, superAdmin] = await Promise.all([
    createUser({ name: "Fuzz Owner" }),
    createUser({ name: "Fuzz Staff" }),
    createUser({ name: "Fuzz Stranger" }),
    createUser({ name: "Fuzz Customer" }),
    createUser({ name: "Fuzz Admin", superAdmin: true }),
  ]);
  return { owner, staff, stranger, customer, superAdmin };
}
export type Cast = Awaited<ReturnType<typeof cast>>;

export interface Foreign {
  tenant: TestTenant;
  ids: number[];
  byField: Record<string, number[]>;
  /** Strings only B's rows hold: none may appear in an answer to anyone but a super admin. */
  markers: string[];
}

/** Business B: marked rows, then suspended, so no customer may reach it either. */
export async function foreignBusiness(): Promise<Foreign> {
  const marker = unique("fuzzsecret");
  const owner = await createUser({ name: `${marker} owner` });
  const tenant = await createTenant(owner, { name: `${marker} shop` });
  const category = await makeCategory(owner, tenant, { name: `${marker} category` });
  const product = await makeProduct(owner, tenant, { name: `${marker} product`, categoryId: category.id, stock: 50 });
  const service = await makeService(owner, tenant, { name: `${marker} service` });
  const booking = await makeBooking(await createUser(), tenant, { serviceId: service.id });
  await setTenantStatus(tenant.businessId, "suspended");
  const byField = { categoryId: [category.id], productId: [product.id], serviceId: [service.id], id: [product.id, booking.id], userId: [owner.userId], staffUserId: [owner.userId] };
  return { tenant, ids: [category.id, product.id, service.id, booking.id, owner.userId], byField, markers: [marker, tenant.tenantKey, tenant.slug, owner.email] };
}

/** A fresh business A for one procedure's run, its callers' sessions, and the ids and refs to mix into inputs. */
export async function arena(users: Cast, foreign: Foreign): Promise<Arena> {
  // One owner holds every arena's business, all on the enterprise plan (so the rate limit never stops the fuzz).
  const tenant = await createTenant(users.owner, { plan: "enterprise", name: `Fuzz ${unique()}` });
  await addMember(tenant, users.staff, "staff");
  const category = await makeCategory(users.owner, tenant);
  const product = await makeProduct(users.owner, tenant, { stock: 1000, categoryId: category.id });
  const service = await makeService(users.owner, tenant);
  const booking = await makeBooking(users.customer, tenant, { serviceId: service.id });
  const byField = { categoryId: [category.id], productId: [product.id], serviceId: [service.id], id: [product.id, booking.id], staffUserId: [users.owner.userId] };
  const [owner, staff, stranger, customer, superAdmin] = await Promise.all(
    [users.owner, users.staff, users.stranger, users.customer, users.superAdmin].map((u) => newSession(u)),
  );
  return {
    tenant,
    callers: { anonymous: null, owner: owner!, staff: staff!, stranger: stranger!, customer: customer!, superAdmin: superAdmin! },
    known: {
      ids: [category.id, product.id, service.id, booking.id, ...foreign.ids, 2_147_483_647],
      byField: Object.fromEntries(Object.entries(byField).map(([k, v]) => [k, [...v, ...(foreign.byField[k] ?? [])]])),
      tenantRefs: [tenant.tenantKey, tenant.slug, foreign.tenant.tenantKey, foreign.tenant.slug, crypto.randomUUID()],
    },
    own: { ids: [], byField, tenantRefs: [tenant.tenantKey] },
  };
}

/**
 * A row trigger on every table appends the table's name to a log in a scratch
 * schema; the log's rows are written in the same transaction, so only committed
 * changes are in it. `since(mark)` lists the tables changed after `mark()`.
 */
export async function writeLog() {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  const schema = `fuzz_scratch_${unique().replace(/[^a-z0-9]/g, "")}`;
  const tables = (await owner<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`).map((r) => r.name);
  await owner.begin(async (tx) => {
    await tx.unsafe(`create schema ${schema}`);
    await tx.unsafe(`create table ${schema}.writes (id bigserial primary key, tbl text not null)`);
    await tx.unsafe(`create function ${schema}.log_write() returns trigger language plpgsql security definer set search_path = pg_catalog as $$
      begin insert into ${schema}.writes (tbl) values (tg_table_name); return null; end $$`);
    for (const t of tables) await tx.unsafe(`create trigger ${schema}_log after insert or update or delete on public."${t}" for each row execute function ${schema}.log_write()`);
  });
  return {
    async mark(): Promise<number> {
      const [row] = await owner<{ id: string | null }[]>`select max(id)::text as id from ${owner(schema)}.writes`;
      return Number(row?.id ?? 0);
    },
    async since(mark: number): Promise<string[]> {
      return (await owner<{ tbl: string }[]>`select distinct tbl from ${owner(schema)}.writes where id > ${mark}`).map((r) => r.tbl);
    },
    async drop(): Promise<void> {
      await owner.begin(async (tx) => {
        for (const t of tables) await tx.unsafe(`drop trigger if exists ${schema}_log on public."${t}"`);
        await tx.unsafe(`drop schema ${schema} cascade`);
      });
      await owner.end({ timeout: 5 });
    },
  };
}
