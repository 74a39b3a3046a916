/**
 * The customer role is confined by the database, not by the queries the services
 * happen to write: under asCustomer(alice), a bare `select` with no WHERE on every
 * customer-facing table returns alice's rows and only hers, while bob has rows
 * in the very same businesses.
 *
 * The tables come from the catalog: every table with a policy for the customer
 * role whose USING reads the current user (app.current_user_id()), so a new
 * customer-facing table is covered without editing a list. Whose row a row is
 * comes from the house naming, not from the policy under test: `customer_user_id`,
 * else `user_id`, and `id` on users itself. The fixture must give alice and bob
 * rows in each such table; a new table it does not fill fails here until the
 * fixture learns to (rather than passing with nothing to look at).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { connectOwner, ROLE } from "../setup/catalog.ts";
import { tableColumns } from "../setup/sample-rows.ts";
import { ownerUrl, scopes } from "../setup/harness.ts";
import { makeBooking, makeOrder, makeProduct, makeService, type Principal, quickUser, shop } from "../setup/fixtures.ts";

const owner = connectOwner(ownerUrl);
afterAll(() => owner.end({ timeout: 5 }));

/** Tables (schema public) with a SELECT or ALL policy for the customer role whose USING reads the current user. */
const customerFacing = async (): Promise<string[]> => {
  const rows = await owner<{ table: string }[]>`
    select distinct tablename as table from pg_policies
     where schemaname = 'public' and cmd in ('SELECT', 'ALL')
       and (${ROLE.customer} = any(roles::text[]) or 'public' = any(roles::text[]))
       and qual ~ 'app\\.current_user_id\\(\\)'
     order by 1`;
  return rows.map((r) => r.table);
};
const TABLES = await customerFacing();

/** The column naming the customer a row belongs to (house naming; see the header), among the table's `columns`. */
function ownerColumn(table: string, columns: string[]): string {
  if (table === "users") return "id";
  const column = ["customer_user_id", "user_id"].find((c) => columns.includes(c));
  if (!column) throw new Error(`${table} has a customer policy on the current user but no customer_user_id or user_id column: teach ownerColumn() in this test which column names the customer`);
  return column;
}

let alice: Principal, bob: Principal;
const businesses: number[] = [];
beforeAll(async () => {
  [alice, bob] = [await quickUser("Alice"), await quickUser("Bob")];
  for (const { owner: shopOwner, tenant } of [await shop(), await shop()]) {
    businesses.push(tenant.businessId);
    const product = await makeProduct(shopOwner, tenant, { stock: 20 });
    const service = await makeService(shopOwner, tenant);
    for (const customer of [alice, bob]) {
      await makeOrder(customer, tenant, [{ productId: product.id, quantity: 1 }]);
      await makeBooking(customer, tenant, { serviceId: service.id });
    }
  }
}, 30_000);

describe("a customer sees only its own rows, with no WHERE at all", () => {
  test("the catalog finds the customer-facing tables (orders, order_items, bookings, customers at least)", () => {
    expect(TABLES).toEqual(expect.arrayContaining(["orders", "order_items", "bookings", "customers"]));
  });

  for (const table of TABLES) {
    test(`${table}: alice sees every row of hers and none of bob's, who has rows in the same businesses`, async () => {
      const columns = (await tableColumns(owner, table)).map((c) => c.name);
      const column = ownerColumn(table, columns);
      // Ground truth, read by the owner (which bypasses RLS): rows per customer, in the two shops and in all.
      const inShops = columns.includes("business_id") ? `and business_id = any('{${businesses.join(",")}}'::bigint[])` : "";
      const count = async (userId: number, where = "") =>
        Number((await owner.unsafe(`select count(*)::int as n from public."${table}" where "${column}" = $1 ${where}`, [userId]))[0]!.n);
      // Both sides must have rows in the same businesses, or the check below proves nothing.
      expect({ table, alice: (await count(alice.userId, inShops)) > 0, bob: (await count(bob.userId, inShops)) > 0 }).toEqual({ table, alice: true, bob: true });

      const seen = await scopes.asCustomer(
        alice.userId,
        (s) => s.db.execute<{ owner: string; n: number }>(sql`select ${sql.identifier(column)}::text as owner, count(*)::int as n from ${sql.identifier(table)} group by 1`),
        { readOnly: true },
      );
      expect(Object.fromEntries(seen.map((r) => [r.owner, r.n]))).toEqual({ [String(alice.userId)]: await count(alice.userId) });
    });
  }
});
