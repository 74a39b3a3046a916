/**
 * Provisioning is one transaction: a failure at any step leaves no trace. The
 * steps are found, not listed: a reference business is provisioned and every
 * tenant table holding its rows (plus business_tenants) is a step. For each, a
 * trigger makes that table's insert fail for one marked business name only; the
 * provision must fail, and afterwards no table from the catalog may hold a row
 * of the business id it had taken, nor may the owner have gained a membership.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner, tenantTables } from "../setup/catalog.ts";
import { signedInUser, unique } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";

setDefaultTimeout(30_000);
const owner = connectOwner(ownerUrl, 2);
const FN = "public.test_scratch_fail_provision";

/** Raises for rows of a business named "Fail at <this table> ..." and lets everything else through. */
const FAILING_FUNCTION = `
  create or replace function ${FN}() returns trigger language plpgsql security definer set search_path = public as $$
  declare
    v_name text;
  begin
    if TG_TABLE_NAME = 'business_tenants' then
      v_name := NEW.name;
    else
      select name into v_name from business_tenants where id = NEW.business_id;
    end if;
    if v_name like 'Fail at ' || TG_TABLE_NAME || ' %' then
      raise exception 'injected failure at %', TG_TABLE_NAME;
    end if;
    return NEW;
  end $$`;

await owner.unsafe(FAILING_FUNCTION);
const ALL_TABLES = await tenantTables(owner);

/** The steps: business_tenants and every tenant table a freshly provisioned business has rows in. */
async function provisioningSteps(): Promise<string[]> {
  const user = await signedInUser();
  const ref = await client({ token: user.token }).tenants.provision.mutate({ name: `Reference ${unique()}`, industryType: "salon" });
  const steps = ["business_tenants"];
  for (const table of ALL_TABLES) {
    const [row] = await owner.unsafe(`select count(*)::int as n from public."${table}" where business_id = $1`, [ref.businessId]);
    if (row!.n) steps.push(table);
  }
  return steps;
}
const STEPS = await provisioningSteps();

afterAll(async () => {
  await owner.unsafe(`drop function if exists ${FN}() cascade`);
  await owner.end({ timeout: 5 });
});

const lastBusinessId = async () =>
  Number((await owner`select last_value from business_tenants_id_seq`)[0]!.last_value);

/** Rows in any tenant table (and business_tenants) with a business id in (after, upTo]. */
async function rowsInRange(after: number, upTo: number): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const [{ n }] = (await owner`select count(*)::int as n from business_tenants where id > ${after} and id <= ${upTo}`) as unknown as [{ n: number }];
  if (n) found.business_tenants = n;
  for (const table of ALL_TABLES) {
    const [row] = await owner.unsafe(`select count(*)::int as n from public."${table}" where business_id > $1 and business_id <= $2`, [after, upTo]);
    if (row!.n) found[table] = row!.n as number;
  }
  return found;
}

describe("a failure at any provisioning step leaves no trace", () => {
  test("the steps found are the seed's ten", () => {
    expect([...STEPS].sort()).toEqual(
      [
        "audit_log", "business_access", "business_directory", "business_settings", "business_subscriptions", "business_tenants",
        "categories", "email_templates", "roles", "tenant_lifecycle_events",
      ].sort(),
    );
  });

  for (const table of STEPS) {
    test(`a failing insert into ${table} rolls the whole provisioning back`, async () => {
      const user = await signedInUser();
      const api = client({ token: user.token });
      await owner.unsafe(`create trigger test_scratch_fail before insert on public."${table}" for each row execute function ${FN}()`);
      try {
        const before = await lastBusinessId();
        const name = `Fail at ${table} ${unique()}`;
        const error = await expectCode(api.tenants.provision.mutate({ name, industryType: "salon" }), "INTERNAL_SERVER_ERROR");
        expect(error.message).not.toContain("injected"); // details stay in the log
        const after = await lastBusinessId();
        expect(after).toBeGreaterThan(before); // the failed attempt did take an id
        expect(await rowsInRange(before, after)).toEqual({});
        expect((await api.auth.me.query()).memberships).toEqual([]);

        // Control: with the trigger still in place, an unmarked name provisions fine.
        const ok = await api.tenants.provision.mutate({ name: `Fine ${unique()}`, industryType: "salon" });
        expect(ok.status).toBe("pending");
      } finally {
        await owner.unsafe(`drop trigger if exists test_scratch_fail on public."${table}"`);
      }
    });
  }
});
