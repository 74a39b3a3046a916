/**
 * Purge: every row of the business in every tenant table goes (the tables come
 * from the catalog, so a table added later is covered), nothing of any other
 * business does, and the platform audit log keeps the record. Refused before
 * the 30-day retention unless forced.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner, tenantTables, ROLE } from "../setup/catalog.ts";
import { sqlState } from "../setup/db-errors.ts";
import { insertSampleRow } from "../setup/sample-rows.ts";
import { createTenant, createUser, signIn, type TestTenant, type TestUser } from "../setup/fixtures.ts";
import { ownerUrl, scopes } from "../setup/harness.ts";
import { purgeTenant } from "../../src/services/lifecycle/purge.ts";
import { deleteTenant } from "../../src/services/lifecycle/delete.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 2);
const TABLES = await tenantTables(owner);
afterAll(() => owner.end({ timeout: 5 }));

const operator = { userId: null, via: "cli" as const };
const DAY = 86_400_000;

async function rowsPerTable(businessId: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await owner.unsafe(`select count(*)::int as n from public."${table}" where business_id = $1`, [businessId]);
    out[table] = row!.n as number;
  }
  return out;
}

/** Provisioned, then a generated row in every tenant table still empty for it. */
async function fullTenant(user: TestUser): Promise<TestTenant> {
  const tenant = await createTenant(user);
  const counts = await rowsPerTable(tenant.businessId);
  for (const table of TABLES) if (!counts[table]) await insertSampleRow(owner, table, tenant.businessId);
  return tenant;
}

let user: TestUser;
beforeAll(async () => {
  user = await createUser();
});

describe("purge", () => {
  test("every tenant table's foreign key to business_tenants cascades on delete (what purge relies on)", async () => {
    const rows = await owner<{ table: string; cascades: boolean }[]>`
      select c.relname as table,
             exists (select 1 from pg_constraint f
                      where f.conrelid = c.oid and f.contype = 'f' and f.confrelid = 'public.business_tenants'::regclass
                        and f.confdeltype = 'c'
                        and (select array_agg(a.attname::text) from pg_attribute a where a.attrelid = c.oid and a.attnum = any(f.conkey)) = array['business_id']) as cascades
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relname in ${owner(TABLES)}`;
    expect(rows.length).toBe(TABLES.length);
    expect(rows.filter((r) => !r.cascades).map((r) => r.table)).toEqual([]);
  });

  test("removes every row of the business from every table and nothing of another business", async () => {
    const [victim, bystander] = [await fullTenant(user), await fullTenant(user)];
    const before = await rowsPerTable(victim.businessId);
    expect(Object.entries(before).filter(([, n]) => n === 0)).toEqual([]); // every table really had rows to lose
    const bystanderBefore = await rowsPerTable(bystander.businessId);

    await scopes.asSuperAdmin((s) => deleteTenant(s, victim.tenantKey, { actor: operator }));
    const result = await scopes.asSuperAdmin((s) => purgeTenant(s, victim.tenantKey, { actor: operator, force: true, reason: "test purge" }));
    expect(result.status).toBe("purged");
    // Closing added one lifecycle event and one audit row; the purge reports exactly what was there.
    expect(result.rowsDeleted).toEqual({ ...before, tenant_lifecycle_events: before.tenant_lifecycle_events! + 1, audit_log: before.audit_log! + 1 });

    expect(Object.values(await rowsPerTable(victim.businessId)).every((n) => n === 0)).toBe(true);
    expect([...(await owner`select 1 from business_tenants where id = ${victim.businessId}`)]).toEqual([]);
    expect(await rowsPerTable(bystander.businessId)).toEqual(bystanderBefore);

    const [line] = await owner`select * from platform_audit_log where target_business_id = ${victim.businessId} and action = 'tenant.purge'`;
    expect(line).toMatchObject({ reason: "test purge", details: expect.objectContaining({ tenantKey: victim.tenantKey, forced: true }) });
  });

  test("refused before the retention period ends unless forced; allowed after it without force", async () => {
    const tenant = await createTenant(user);
    const closedAt = new Date();
    await scopes.asSuperAdmin((s) => deleteTenant(s, tenant.tenantKey, { actor: operator, now: closedAt }));
    const purgeAt = (days: number, force = false) =>
      scopes.asSuperAdmin((s) => purgeTenant(s, tenant.tenantKey, { actor: operator, force, now: new Date(closedAt.getTime() + days * DAY) }));

    await expect(purgeAt(0)).rejects.toThrow(/kept for 30 days/);
    await expect(purgeAt(29.9)).rejects.toThrow(/1 day\(s\) left/);
    expect([...(await owner`select status from business_tenants where id = ${tenant.businessId}`)]).toEqual([{ status: "closed" }]);
    expect((await purgeAt(30)).status).toBe("purged");
    expect([...(await owner`select 1 from business_tenants where id = ${tenant.businessId}`)]).toEqual([]);
  });

  test("through the API: CONFLICT before retention, forced purge by a super admin works", async () => {
    const admin = await createUser({ superAdmin: true });
    const { accessToken } = await signIn(admin);
    const api = client({ token: accessToken }).tenants.lifecycle;
    const tenant = await createTenant(user);
    await api.delete.mutate({ tenantKey: tenant.tenantKey });
    const refused = await expectCode(api.purge.mutate({ tenantKey: tenant.tenantKey }), "CONFLICT");
    expect(refused.message).toContain("30 days");
    expect(await api.purge.mutate({ tenantKey: tenant.tenantKey, force: true })).toMatchObject({ status: "purged" });
    await expectCode(api.purge.mutate({ tenantKey: tenant.tenantKey, force: true }), "NOT_FOUND");
  });
});

describe("platform_audit_log: super admins read and append; nobody changes it", () => {
  test("grants and policies hold for every login role", async () => {
    const attempt = async (role: string, statement: string) => {
      try {
        await owner.begin(async (tx) => {
          await tx.unsafe(`set local role ${role}`);
          await tx.unsafe(statement);
          throw new Error("rollback");
        });
      } catch (error) {
        return sqlState(error) ?? "ok";
      }
      return "ok";
    };
    const insert = "insert into platform_audit_log (action, target_business_id) values ('test', 1)";
    expect(await attempt(ROLE.admin, insert)).toBe("ok");
    expect(await attempt(ROLE.admin, "select * from platform_audit_log limit 1")).toBe("ok");
    for (const statement of ["update platform_audit_log set reason = 'x'", "delete from platform_audit_log", "truncate platform_audit_log"]) {
      expect(await attempt(ROLE.admin, statement)).toBe("42501");
    }
    for (const role of [ROLE.app, ROLE.customer, ROLE.platform]) {
      expect(await attempt(role, "select * from platform_audit_log limit 1")).toBe("42501");
      expect(await attempt(role, insert)).toBe("42501");
    }
  });
});
