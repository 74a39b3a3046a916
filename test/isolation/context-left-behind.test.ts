/**
 * Every way a transaction gets its signed context leaves nothing on the pooled
 * connection afterwards, whether the transaction committed, was read-only (its
 * COMMIT is not waited for) or failed. Each pool here has ONE connection, so the
 * context-less query that follows runs on the very backend the scope used (the
 * test checks the backend pid is the same) and would see any leftover: an
 * `app.context` setting, a tenant or user from app.current_tenant_id() /
 * app.current_user_id(), or rows the policies let through.
 *
 * The ways: asTenant, forTenantRequest (what every tenantProcedure request and
 * file route takes), asNewTenant (provisioning), asCustomer, asSuperAdmin, and
 * the real app (Hono + tRPC) built on pools of one connection for tenant,
 * customer and admin procedures.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTRPCClient, httpLink } from "@trpc/client";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { createApp } from "../../src/app.ts";
import { closePools, createPools, type Pool } from "../../src/db/client.ts";
import type { DbRoleKind } from "../../src/db/roles.ts";
import { createDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import type { AppRouter } from "../../src/trpc/router.ts";
import type { ScopedDb } from "../../src/tenancy/transaction.ts";
import { createUser, makeOrder, makeProduct, newSession, type Principal, quickUser, shop, type TestTenant } from "../setup/fixtures.ts";
import { contextKey, scopesFor, urls } from "../setup/harness.ts";

// Scopes over pools of one connection per role.
const single = createPools(urls, { max: 1 });
const scopes = scopesFor(single);
// The whole app (Hono, tRPC, procedure builders) on its own pools of one connection per role.
const appDeps = createDeps({ roleUrls: urls, contextKey, pool: { max: 1 }, tokens: { secret: env.JWT_SECRET! }, baseDomain: "desibazaar.test" });
const app = createApp(appDeps);
afterAll(async () => {
  await closePools(single);
  await appDeps.close();
});

const api = (token: string, tenant?: string) =>
  createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: "http://api.desibazaar.test/trpc",
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${token}`, ...(tenant ? { "x-tenant-id": tenant } : {}) }),
        fetch: (async (url: string, init?: RequestInit) => app.fetch(new Request(url, init))) as never,
      }),
    ],
  });

let owner: Principal, alice: Principal, superAdmin: Principal, tenant: TestTenant, productId: number;
beforeAll(async () => {
  ({ owner, tenant } = await shop());
  alice = await quickUser("Alice");
  productId = (await makeProduct(owner, tenant, { stock: 10 })).id;
  await makeOrder(alice, tenant, [{ productId, quantity: 1 }]);
  superAdmin = await newSession(await createUser({ superAdmin: true }));
});

/**
 * Rows each role would see under a leftover context: the tenant role sees the
 * business's audit and membership rows, the customer its own users row and
 * orders. The admin role sees every row by design (its policies do not read the
 * context), so for it only the context itself is checked.
 */
const ROWS: Record<Exclude<DbRoleKind, "platform" | "jobs">, string | null> = {
  app: "(select count(*)::int from public.audit_log) + (select count(*)::int from public.business_access)",
  customer: "(select count(*)::int from public.users) + (select count(*)::int from public.orders)",
  admin: null,
};

interface Leftover {
  pid: number;
  raw: string | null;
  tenant: string | null;
  user: string | null;
  rows: number | null;
}

/** A query outside any scope on the pool's one connection: what the previous transaction left there. */
async function leftOn(pool: Pool, kind: keyof typeof ROWS): Promise<Leftover> {
  const [row] = await pool.unsafe(`
    select pg_backend_pid() as pid, current_setting('app.context', true) as raw,
           app.current_tenant_id()::text as tenant, app.current_user_id()::text as "user",
           ${ROWS[kind] ?? "null::int"} as rows`);
  return { pid: Number(row!.pid), raw: row!.raw, tenant: row!.tenant, user: row!.user, rows: row!.rows };
}

/** `run` must really have set a context (the control), and nothing of it may stay on the connection. */
async function expectNothingLeft(pool: Pool, kind: keyof typeof ROWS, run: () => Promise<unknown>) {
  const before = await leftOn(pool, kind);
  await run();
  const after = await leftOn(pool, kind);
  expect(after.pid).toBe(before.pid); // the same backend: otherwise a leftover could have gone with a replaced connection
  expect(["", null]).toContain(after.raw);
  expect({ tenant: after.tenant, user: after.user, rows: after.rows }).toEqual({ tenant: null, user: null, rows: ROWS[kind] ? 0 : null });
}

class Planned extends Error {}
/** Runs a scope whose fn fails on purpose; any other error fails the test. */
const failing = async (run: () => Promise<unknown>) => {
  const outcome = await run().then(() => "succeeded", (e) => e);
  expect(outcome).toBeInstanceOf(Planned);
};

/** What the transaction itself saw, so each case proves its context was set (and signed) before checking what is left. */
const seen = async (db: ScopedDb) => {
  const [row] = await db.execute<{ tenant: string | null; user: string | null }>(
    sql`select app.current_tenant_id()::text as tenant, app.current_user_id()::text as "user"`,
  );
  return row!;
};

type Outcome = "committed" | "read-only" | "failed";
const OUTCOMES: Outcome[] = ["committed", "read-only", "failed"];

describe("scopes on a pool of one connection leave no context behind", () => {
  for (const outcome of OUTCOMES) {
    const readOnly = outcome === "read-only";
    const end = outcome === "failed" ? () => Promise.reject(new Planned()) : () => Promise.resolve();

    test(`asTenant, ${outcome}`, async () => {
      await expectNothingLeft(single.app, "app", async () => {
        const run = scopes.asTenant(tenant.businessId, async (s) => {
          expect(await seen(s.db)).toEqual({ tenant: String(tenant.businessId), user: String(owner.userId) });
          return end();
        }, { userId: owner.userId, readOnly });
        await (outcome === "failed" ? failing(() => run) : run);
      });
    });

    test(`forTenantRequest (every tenantProcedure request), ${outcome}`, async () => {
      await expectNothingLeft(single.app, "app", async () => {
        const request = { tenantRef: tenant.tenantKey, userId: owner.userId, sessionId: owner.sessionId, readOnly };
        const run = scopes.forTenantRequest(tenant.businessId, request, async (s, access) => {
          expect((await access).role).toBe("owner");
          expect(await seen(s.db)).toEqual({ tenant: String(tenant.businessId), user: String(owner.userId) });
          return end();
        });
        await (outcome === "failed" ? failing(() => run) : run);
      });
    });

    test(`asCustomer, ${outcome}`, async () => {
      await expectNothingLeft(single.customer, "customer", async () => {
        const run = scopes.asCustomer(alice.userId, async (s) => {
          expect(await seen(s.db)).toEqual({ tenant: null, user: String(alice.userId) });
          return end();
        }, { readOnly });
        await (outcome === "failed" ? failing(() => run) : run);
      });
    });

    test(`asSuperAdmin, ${outcome}`, async () => {
      await expectNothingLeft(single.admin, "admin", async () => {
        const run = scopes.asSuperAdmin(async (s) => {
          expect(await seen(s.db)).toEqual({ tenant: null, user: String(superAdmin.userId) });
          return end();
        }, { userId: superAdmin.userId, readOnly });
        await (outcome === "failed" ? failing(() => run) : run);
      });
    });
  }

  for (const outcome of ["committed", "failed"] as const) {
    test(`asNewTenant (provisioning sets its context after BEGIN), ${outcome}`, async () => {
      await expectNothingLeft(single.app, "app", async () => {
        const run = scopes.asNewTenant(owner.userId, async (s) => {
          expect(await seen(s.db)).toEqual({ tenant: String(s.businessId), user: String(owner.userId) });
          if (outcome === "failed") throw new Planned();
        });
        await (outcome === "failed" ? failing(() => run) : run);
      });
    });
  }
});

describe("the real app on pools of one connection leaves no context behind", () => {
  // Admin procedures are all mutations: there is no read-only one to call.
  const calls: Record<"tenant" | "customer" | "admin", Partial<Record<Outcome, () => Promise<unknown>>>> = {
    tenant: {
      committed: async () => expect(await api(owner.token, tenant.tenantKey).categories.create.mutate({ name: `Left ${crypto.randomUUID()}` })).toHaveProperty("id"),
      "read-only": async () => expect((await api(owner.token, tenant.tenantKey).products.list.query({ limit: 5 })).items.length).toBeGreaterThan(0),
      failed: async () => expect(await api(owner.token, tenant.tenantKey).products.get.query({ id: 2_147_483_647 }).catch((e) => e.data?.code)).toBe("NOT_FOUND"),
    },
    customer: {
      committed: async () =>
        expect(await api(alice.token).customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId, quantity: 1 }] })).toHaveProperty("id"),
      "read-only": async () => expect((await api(alice.token).customer.orders.list.query()).length).toBeGreaterThan(0),
      failed: async () =>
        expect(await api(alice.token).customer.orders.create.mutate({ tenantKey: crypto.randomUUID(), items: [{ productId: 1, quantity: 1 }] }).catch((e) => e.data?.code)).toBe("NOT_FOUND"),
    },
    admin: {
      committed: async () => expect(await api(superAdmin.token).admin.users.setBusinessLimit.mutate({ userId: alice.userId, limit: null })).toEqual({ userId: alice.userId, limit: null }),
      failed: async () => expect(await api(superAdmin.token).admin.users.setBusinessLimit.mutate({ userId: 2_147_483_647, limit: 1 }).catch((e) => e.data?.code)).toBe("NOT_FOUND"),
    },
  };
  const poolOf = { tenant: ["app", appDeps.pools.app], customer: ["customer", appDeps.pools.customer], admin: ["admin", appDeps.pools.admin] } as const;

  for (const [kind, byOutcome] of Object.entries(calls) as [keyof typeof calls, Partial<Record<Outcome, () => Promise<unknown>>>][]) {
    for (const [outcome, call] of Object.entries(byOutcome)) {
      test(`${kind} procedure, ${outcome}`, async () => {
        const [role, pool] = poolOf[kind];
        await expectNothingLeft(pool, role, call);
      });
    }
  }
});
