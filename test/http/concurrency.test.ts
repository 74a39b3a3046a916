/**
 * No request ever sees another's context. A real server (Bun.serve, real
 * sockets) takes 1,000 concurrent requests for 20 tenants/users, some of them
 * refused; each successful response reports what its procedure saw three ways:
 * the AsyncLocalStorage context (before and after awaiting the database), the
 * transaction's settings, and the tenant rows RLS lets it see with no filter.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { createApp } from "../../src/app.ts";
import { router } from "../../src/trpc/init.ts";
import { tenantProcedure } from "../../src/trpc/procedures.ts";
import { currentContext } from "../../src/tenancy/request-context.ts";
import { createTenant, createUser, newSession, type Principal, type TestTenant } from "../setup/fixtures.ts";
import { deps } from "../setup/harness.ts";

const TENANTS = 20;
const REQUESTS = 1_000;
const REFUSED_EVERY = 7; // every 7th request names a business its caller does not belong to
const TIME_LIMIT_MS = 30_000;

const probeRouter = router({
  probe: tenantProcedure.query(async ({ ctx }) => {
    const before = currentContext();
    const [settings] = (await ctx.scope.db.execute(
      sql`select app.current_tenant_id()::text as tenant, app.current_user_id()::text as "user"`,
    )) as unknown as { tenant: string; user: string }[];
    // RLS alone decides what this returns: no where clause.
    const visible = (await ctx.scope.db.execute(sql`select id from business_tenants`)) as unknown as { id: string | number }[];
    await Bun.sleep(Math.random() * 3); // one more hop for the ALS to survive
    const after = currentContext();
    return { before, after, settings, visible: visible.map((r) => Number(r.id)) };
  }),
});

type Probe = { before?: Ctx; after?: Ctx; settings: { tenant: string; user: string }; visible: number[] };
type Ctx = { requestId: string; tenantId?: number; userId?: number };

let server: ReturnType<typeof Bun.serve>;
const cast: { user: Principal; tenant: TestTenant }[] = [];

beforeAll(async () => {
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: createApp(deps, probeRouter).fetch });
  // Users in parallel: password hashing dominates the set-up.
  const users = await Promise.all(Array.from({ length: TENANTS }, () => createUser()));
  for (const user of users) cast.push({ user: await newSession(user), tenant: await createTenant(user) });
}, 60_000);

afterAll(() => server?.stop(true));

async function send(i: number) {
  const caller = cast[i % TENANTS]!;
  const refused = i % REFUSED_EVERY === 0;
  const target = refused ? cast[(i + 1) % TENANTS]!.tenant : caller.tenant;
  const requestId = `conc-${i}-${crypto.randomUUID()}`;
  const response = await fetch(`http://127.0.0.1:${server.port}/trpc/probe`, {
    headers: { authorization: `Bearer ${caller.user.token}`, "x-tenant-id": target.tenantKey, "x-request-id": requestId },
  });
  const body = (await response.json()) as { result?: { data: never }; error?: never };
  return { i, caller, target, refused, requestId, status: response.status, body };
}

describe("1,000 concurrent requests over real HTTP", () => {
  test(
    "each sees only its own tenant, user and request, in ALS, in the transaction and through RLS",
    async () => {
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => send(i)));
      const elapsed = performance.now() - started;

      expect(results).toHaveLength(REQUESTS);
      const mismatches: string[] = [];
      let served = 0;
      for (const r of results) {
        if (r.refused) {
          const error = r.body.error ? (superjson.deserialize(r.body.error) as { data: { code: string; requestId: string } }) : null;
          if (r.status !== 403 || error?.data.code !== "FORBIDDEN" || error.data.requestId !== r.requestId) {
            mismatches.push(`#${r.i} should be FORBIDDEN for its request: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
          }
          continue;
        }
        if (r.status !== 200 || !r.body.result) {
          mismatches.push(`#${r.i} failed: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
          continue;
        }
        served++;
        const seen = superjson.deserialize(r.body.result.data) as Probe;
        const expected = { tenantId: r.target.businessId, userId: r.caller.user.userId, requestId: r.requestId };
        const got = {
          before: seen.before && { tenantId: seen.before.tenantId, userId: seen.before.userId, requestId: seen.before.requestId },
          after: seen.after && { tenantId: seen.after.tenantId, userId: seen.after.userId, requestId: seen.after.requestId },
          settings: seen.settings,
          visible: seen.visible,
        };
        const want = {
          before: expected,
          after: expected,
          settings: { tenant: String(expected.tenantId), user: String(expected.userId) },
          visible: [expected.tenantId],
        };
        if (!Bun.deepEquals(got, want)) mismatches.push(`#${r.i}: saw ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      }

      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(served).toBe(REQUESTS - Math.ceil(REQUESTS / REFUSED_EVERY));
      expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
    },
    TIME_LIMIT_MS + 30_000,
  );
});
