/**
 * The data of the products.list benchmark, shaped like the peer's
 * (../shared/peer-bench/setup.sql): 1,000 active businesses with 200 products
 * each, rows interleaved across businesses as they arrive over time. One owner
 * is a member of every business, on the enterprise plan, so one access token
 * reaches them all; the plan keeps its seeded rate limit, which a business
 * asked a few times a second never reaches, so the limiter is measured as
 * every request pays it, without ever refusing one.
 */
import postgres from "postgres";
import { createDeps } from "../src/deps.ts";
import { startSession } from "../src/services/auth/sessions.ts";
import type { BenchEnv } from "./env.ts";
import { int } from "./stats.ts";

const BUSINESSES = 1_000;
const PRODUCTS_PER_BUSINESS = 200;

export interface SeededCatalogue {
  tenantKeys: string[];
  /** The owner's access token, signed with jwtSecret, valid for the usual 15 minutes. */
  accessToken: string;
  /** The servers under test must verify tokens with this secret. */
  jwtSecret: string;
  /** Who the token speaks for: the floor server (bench/floor-server.ts) is given them instead of a token. */
  userId: number;
  sessionId: string;
}

export async function seedCatalogue(env: BenchEnv): Promise<SeededCatalogue> {
  const started = performance.now();
  env.say(`seeding ${int(BUSINESSES)} businesses x ${PRODUCTS_PER_BUSINESS} products`);
  const sql = postgres(env.ownerUrl, { max: 1, onnotice: () => {} });
  let ownerId: number;
  let tenantKeys: string[];
  try {
    const [owner] = await sql<{ id: string }[]>`
      insert into users (email, name, password_hash)
      values (${`bench-owner-${crypto.randomUUID()}@example.test`}, 'Bench Owner', 'not a password hash: never logs in')
      returning id`;
    ownerId = Number(owner!.id);
    // Slugs of this seeding's own: benchmarks that each seed share the run's database.
    const batch = crypto.randomUUID().slice(0, 8);
    const tenants = await sql<{ id: string; tenant_key: string }[]>`
      insert into business_tenants (slug, name, industry_type, status, created_by_user_id)
      select 'catalogue-' || ${batch}::text || '-' || g, 'Catalogue shop ' || g, 'retail', 'active', ${ownerId}
        from generate_series(1, ${BUSINESSES}::int) g
      returning id, tenant_key`;
    const ids = tenants.map((t) => Number(t.id));
    tenantKeys = tenants.map((t) => t.tenant_key);
    await sql`insert into business_access (business_id, user_id, role, permissions) select unnest(${ids}::bigint[]), ${ownerId}, 'owner', '{*}'`;
    await sql`
      insert into business_subscriptions (business_id, plan_id, status, current_period_start, current_period_end)
      select unnest(${ids}::bigint[]), 'enterprise', 'active', now(), now() + interval '1 year'`;
    await sql`insert into business_settings (business_id) select unnest(${ids}::bigint[])`;
    // generate_series outermost: each business's rows are spread over the heap, as in the peer's table.
    await sql`
      insert into products (business_id, name, price_cents, currency, stock)
      select t.id, 'Product ' || g, 100 + g, 'INR', 10
        from generate_series(1, ${PRODUCTS_PER_BUSINESS}::int) g
        cross join unnest(${ids}::bigint[]) as t(id)`;
    await sql`analyze`;
  } finally {
    await sql.end();
  }

  // A real session, started as login starts one: the database decides on each request whether it still stands.
  const jwtSecret = crypto.randomUUID() + crypto.randomUUID();
  const deps = createDeps({ roleUrls: env.roleUrls, contextKey: env.contextKey, pool: { max: 1 }, tokens: { secret: jwtSecret }, baseDomain: "desibazaar.test" });
  try {
    const session = await deps.scopes.asPlatform((scope) => startSession(scope, deps.tokens, ownerId, { ip: null, userAgent: "bench" }));
    const claims = await deps.tokens.verifyAccess(session.accessToken);
    env.say(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { tenantKeys, accessToken: session.accessToken, jwtSecret, userId: claims.userId, sessionId: claims.sessionId };
  } finally {
    await deps.close();
  }
}
