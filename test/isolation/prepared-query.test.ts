/**
 * A query prepared once per process (src/tenancy/prepared.ts) runs on the
 * transaction of the scope that calls it, under that scope's signed context:
 * two businesses calling the same prepared query each get their own rows, RLS
 * still applies to it, and a scope's handle still dies with its transaction.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { products } from "../../src/db/schema/index.ts";
import { preparedQuery } from "../../src/tenancy/prepared.ts";
import { ScopeEndedError } from "../../src/tenancy/transaction.ts";
import type { ScopedDb } from "../../src/tenancy/transaction.ts";
import { createTenant, createUser, makeProduct, type TestTenant } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";

const byBusiness = preparedQuery(`test_products_${Date.now()}`, (db) =>
  db.select({ id: products.id, businessId: products.businessId }).from(products).where(eq(products.businessId, sql.placeholder("businessId"))),
);
const everyRow = preparedQuery(`test_products_all_${Date.now()}`, (db) => db.select({ businessId: products.businessId }).from(products));

let A: TestTenant, B: TestTenant, productsOfA: number[], productsOfB: number[];
beforeAll(async () => {
  const [a, b] = await Promise.all([createUser(), createUser()]);
  [A, B] = await Promise.all([createTenant(a), createTenant(b)]);
  productsOfA = [(await makeProduct(a, A)).id, (await makeProduct(a, A)).id];
  productsOfB = [(await makeProduct(b, B)).id];
});

describe("a query prepared once per process", () => {
  test("runs on each caller's own transaction: A and B, one after the other and at once, each get their own rows", async () => {
    const run = (t: TestTenant) => scopes.asTenant(t.businessId, (s) => byBusiness(s.db, { businessId: t.businessId }), { readOnly: true });
    expect((await run(A)).map((r) => r.id).sort()).toEqual([...productsOfA].sort());
    const [a, b] = await Promise.all([run(A), run(B)]);
    expect(a.map((r) => r.id).sort()).toEqual([...productsOfA].sort());
    expect(b.map((r) => r.id)).toEqual(productsOfB);
  });

  test("RLS still applies: A asking for B's rows by id gets none, and a query with no filter sees only A's", async () => {
    expect(await scopes.asTenant(A.businessId, (s) => byBusiness(s.db, { businessId: B.businessId }), { readOnly: true })).toEqual([]);
    const seen = await scopes.asTenant(A.businessId, (s) => everyRow(s.db, {}), { readOnly: true });
    expect(new Set(seen.map((r) => r.businessId))).toEqual(new Set([A.businessId]));
  });

  test("a handle kept past its scope cannot run it", async () => {
    let stale: ScopedDb | undefined;
    await scopes.asTenant(A.businessId, async (s) => {
      stale = s.db;
    });
    const error = await byBusiness(stale!, { businessId: A.businessId }).then(() => null, (e: { cause?: unknown }) => e);
    expect(error?.cause ?? error).toBeInstanceOf(ScopeEndedError); // drizzle wraps the refusal

  });
});
