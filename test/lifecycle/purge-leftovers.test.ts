/**
 * Purge's last line of defence: after deleting the business it counts the
 * business's rows in every tenant table again and rolls everything back if any
 * are left. Every tenant table cascades today, so nothing in the product reaches
 * that check; here a tenant table WITHOUT the cascade is added for the length of
 * a test (created, protected like sql/003 protects tenant tables, dropped after),
 * a row of the business is put in it, and purge must refuse and leave the
 * business and all of its rows as they were.
 */
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { deleteTenant } from "../../src/services/lifecycle/delete.ts";
import { purgeTenant } from "../../src/services/lifecycle/purge.ts";
import { connectOwner, tenantTables, ROLE } from "../setup/catalog.ts";
import { sqlState } from "../setup/db-errors.ts";
import { createTenant, createUser, unique, type TestTenant, type TestUser } from "../setup/fixtures.ts";
import { ownerUrl, scopes } from "../setup/harness.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

const operator = { userId: null, via: "cli" as const };
let user: TestUser;
beforeAll(async () => {
  user = await createUser();
});

/** Scratch tenant tables this file created; each test drops its own, this is the safety net. */
const created: string[] = [];
afterEach(async () => {
  for (const table of created.splice(0)) await owner.unsafe(`drop table if exists public."${table}"`);
});

/**
 * A tenant table as a careless migration would add it: business_id, RLS forced
 * and the same tenant and super-admin policies and grants sql/003 gives every
 * tenant table, but its business_id either references nothing or references
 * business_tenants without ON DELETE CASCADE.
 */
async function tenantTableWithoutCascade(reference: "none" | "no action"): Promise<string> {
  const table = `purge_leftover_${unique()}`;
  created.push(table);
  const fk = reference === "none" ? "" : `, foreign key (business_id) references public.business_tenants (id)`;
  await owner.unsafe(`create table public."${table}" (business_id bigint not null, id bigint generated always as identity, note text, primary key (business_id, id)${fk})`);
  await owner.unsafe(`alter table public."${table}" enable row level security`);
  await owner.unsafe(`alter table public."${table}" force row level security`);
  await owner.unsafe(`create policy tenant_isolation on public."${table}" for all to "${ROLE.app}"
                        using (business_id = (select app.current_tenant_id())) with check (business_id = (select app.current_tenant_id()))`);
  await owner.unsafe(`create policy super_admin_all on public."${table}" for all to "${ROLE.admin}" using (true) with check (true)`);
  await owner.unsafe(`grant select, insert, update, delete on public."${table}" to "${ROLE.app}", "${ROLE.admin}"`);
  return table;
}

/** Rows of the business in every tenant table (read by the owner), and its business_tenants row. */
async function everything(businessId: number) {
  const counts: Record<string, number> = {};
  for (const table of await tenantTables(owner)) {
    const [row] = await owner.unsafe(`select count(*)::int as n from public."${table}" where business_id = $1`, [businessId]);
    counts[table] = row!.n as number;
  }
  const [tenant] = await owner`select status, deleted_at is not null as closed from business_tenants where id = ${businessId}`;
  return { tenant: tenant ?? null, counts };
}

async function closedTenant(): Promise<TestTenant> {
  const tenant = await createTenant(user);
  await scopes.asSuperAdmin((s) => deleteTenant(s, tenant.tenantKey, { actor: operator }));
  return tenant;
}

const purge = (tenant: TestTenant) => scopes.asSuperAdmin((s) => purgeTenant(s, tenant.tenantKey, { actor: operator, force: true, reason: "leftover test" }));

describe("purge refuses, and rolls back, when a tenant table would keep rows of the business", () => {
  test("a tenant table with no foreign key: the final check finds its row and nothing is deleted", async () => {
    const tenant = await closedTenant();
    const table = await tenantTableWithoutCascade("none");
    await owner.unsafe(`insert into public."${table}" (business_id, note) values ($1, 'left behind')`, [tenant.businessId]);
    const before = await everything(tenant.businessId);
    expect(before.tenant).toEqual({ status: "closed", closed: true });
    expect(before.counts[table]).toBe(1);
    expect(before.counts.business_access).toBeGreaterThan(0);

    const outcome = await purge(tenant).then((r) => r, (e: Error) => e);
    expect(outcome).toBeInstanceOf(Error);
    // Purge's own refusal naming the table, not a database error (a missing grant would name the table too).
    expect(sqlState(outcome)).toBeUndefined();
    expect((outcome as Error).message).toContain(table);
    expect(await everything(tenant.businessId)).toEqual(before);
    const [audit] = await owner`select count(*)::int as n from platform_audit_log where target_business_id = ${tenant.businessId} and action = 'tenant.purge'`;
    expect(audit!.n).toBe(0);

    // Control: with that table gone the very same purge goes through, so the refusal was the leftover row.
    await owner.unsafe(`drop table public."${table}"`);
    expect(await purge(tenant)).toMatchObject({ status: "purged" });
    expect((await everything(tenant.businessId)).tenant).toBeNull();
  });

  test("a tenant table whose foreign key does not cascade: the delete fails and nothing is deleted", async () => {
    const tenant = await closedTenant();
    const table = await tenantTableWithoutCascade("no action");
    await owner.unsafe(`insert into public."${table}" (business_id, note) values ($1, 'left behind')`, [tenant.businessId]);
    const before = await everything(tenant.businessId);
    expect(before.counts[table]).toBe(1);

    expect(await purge(tenant).then(() => "purged", () => "refused")).toBe("refused");
    expect(await everything(tenant.businessId)).toEqual(before);
    await owner.unsafe(`drop table public."${table}"`);
  });
});
