/**
 * What a scope's transaction guarantees whatever its fn does with the handle it
 * was given: a transaction PostgreSQL rolled back is never reported as saved;
 * the handle is an allowlist (no release, no begin, no reserve); a query that
 * executes after its scope ended is refused; a query left running is awaited and
 * cannot crash the process; and after any anomaly the connection is discarded,
 * not handed to the next tenant. Everything runs on a pool of one connection, so
 * "the next transaction" is always the same physical connection (or its replacement).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { closePools, createPools } from "../../src/db/client.ts";
import { categories } from "../../src/db/schema/index.ts";
import { ScopeEndedError, TransactionRolledBackError, type ScopedConnection } from "../../src/tenancy/transaction.ts";
import { createTenant, createUser, unique, type TestTenant } from "../setup/fixtures.ts";
import { scopesFor, urls } from "../setup/harness.ts";

const single = createPools(urls, { max: 1 });
const scopes = scopesFor(single);
afterAll(() => closePools(single));

let A: TestTenant, B: TestTenant;
beforeAll(async () => {
  const [a, b] = await Promise.all([createUser(), createUser()]);
  [A, B] = await Promise.all([createTenant(a), createTenant(b)]);
});

const backendPid = () => scopes.asTenant(A.businessId, async (s) => Number((await s.db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`))[0]!.pid));
const categoryNamed = (tenant: TestTenant, name: string) =>
  scopes.asTenant(tenant.businessId, (s) => s.db.select({ id: categories.id }).from(categories).where(sql`${categories.name} = ${name}`));
const clientOf = (db: unknown) => (db as { $client: ScopedConnection }).$client;

describe("a write transaction PostgreSQL rolled back is an error, not a success", () => {
  test("a service that catches a database error and carries on gets TransactionRolledBackError, and nothing was saved", async () => {
    const name = unique("lost-");
    const outcome = await scopes
      .asTenant(A.businessId, async (s) => {
        await s.db.insert(categories).values({ businessId: A.businessId, name });
        await s.db.execute(sql`select 1/0`).catch(() => "swallowed");
        return "reported success";
      })
      .catch((e) => e);
    expect(outcome).toBeInstanceOf(TransactionRolledBackError);
    expect(await categoryNamed(A, name)).toEqual([]);
  });

  test("control: the same work without the failing statement commits", async () => {
    const name = unique("kept-");
    expect(await scopes.asTenant(A.businessId, async (s) => (await s.db.insert(categories).values({ businessId: A.businessId, name }).returning()).length)).toBe(1);
    expect((await categoryNamed(A, name)).length).toBe(1);
  });

  test("a savepoint that rolled back its own failure keeps the transaction good (db.transaction inside a scope)", async () => {
    const name = unique("savepoint-");
    await scopes.asTenant(A.businessId, async (s) => {
      await s.db.transaction(() => s.db.execute(sql`select 1/0`)).catch(() => "handled inside its savepoint");
      await s.db.insert(categories).values({ businessId: A.businessId, name });
    });
    expect((await categoryNamed(A, name)).length).toBe(1);
  });
});

describe("the handle a scope gives is an allowlist", () => {
  test("release, reserve, begin and end are not on it; the scope goes on working afterwards", async () => {
    const refused = await scopes.asTenant(A.businessId, async (s) => {
      const client = clientOf(s.db) as unknown as Record<string, unknown>;
      const names = ["release", "reserve", "begin", "end", "savepoint", "listen", "file"].filter((n) => typeof client[n] === "function");
      const attempts = [() => (client.release as () => void)(), () => (client.begin as () => void)()].map((f) => {
        try {
          f();
          return "ran";
        } catch {
          return "refused";
        }
      });
      const after = await s.db.execute(sql`select app.current_tenant_id()::text as t`);
      return { names, attempts, tenant: after[0]!.t };
    });
    expect(refused).toEqual({ names: [], attempts: ["refused", "refused"], tenant: String(A.businessId) });
  });

  test("a raw query built inside a scope and awaited after it ended is refused, and never runs in the next tenant's transaction", async () => {
    let late: PromiseLike<unknown> | undefined;
    await scopes.asTenant(A.businessId, async (s) => {
      late = clientOf(s.db)`select app.current_tenant_id()::text as t, count(*)::int as n from public.audit_log`;
      await s.db.execute(sql`select 1`);
    });
    const seenInB = await scopes.asTenant(B.businessId, async () => Promise.resolve(late).then((rows) => ({ ran: rows }), (e) => ({ refused: e })));
    expect(seenInB).not.toHaveProperty("ran");
    expect((seenInB as { refused: unknown }).refused).toBeInstanceOf(ScopeEndedError);
  });
});

describe("anomalies discard the connection", () => {
  test("control: after ordinary committed, read-only and failed transactions the pool keeps its one backend", async () => {
    const before = await backendPid();
    await scopes.asTenant(A.businessId, (s) => s.db.execute(sql`select 1`));
    await scopes.asTenant(A.businessId, (s) => s.db.execute(sql`select 1`), { readOnly: true });
    await scopes.asTenant(A.businessId, () => Promise.reject(new Error("a failing procedure"))).catch(() => {});
    expect(await backendPid()).toBe(before);
  });

  test("an un-awaited query that fails neither crashes the process nor commits: the scope fails and the backend is replaced", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const before = await backendPid();
      const name = unique("unawaited-");
      const outcome = await scopes
        .asTenant(A.businessId, async (s) => {
          await s.db.insert(categories).values({ businessId: A.businessId, name });
          clientOf(s.db)`select ${"not a number"}::int`.execute(); // fire and forget
          return "returned early";
        })
        .catch((e) => e);
      await Bun.sleep(50);
      expect(outcome).toBeInstanceOf(TransactionRolledBackError);
      expect(unhandled).toEqual([]);
      expect(await categoryNamed(A, name)).toEqual([]);
      expect(await backendPid()).not.toBe(before);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  test("an un-awaited query that succeeds is waited for before COMMIT, and its write is kept", async () => {
    const name = unique("late-write-");
    await scopes.asTenant(A.businessId, async (s) => {
      clientOf(s.db)`insert into public.categories (business_id, name) values (${A.businessId}, ${name})`.execute();
    });
    expect((await categoryNamed(A, name)).length).toBe(1);
  });
});
