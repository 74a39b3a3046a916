/**
 * The floors of the products.list benchmark (bench/http.ts): servers with no
 * HTTP framework at all, on Bun.serve, so the benchmark can say what each layer
 * of ours costs and what no design on this stack and machine gets below.
 *
 *   FLOOR_MODE=transaction  the least any server keeping this product's promise
 *       must do per request: postgres.js on the tenant role sends exactly the
 *       statements our API sends, built by the same modules: BEGIN READ ONLY,
 *       the signed context, the access check (app.tenant_request_access) and the
 *       page of products in one write, then COMMIT, not awaited. No token check, no rate limit, no tRPC, no drizzle,
 *       no superjson: the business comes from a map loaded at start, the user
 *       and session are given (FLOOR_USER_ID, FLOOR_SESSION_ID).
 *   FLOOR_MODE=tenancy  our own request path without Hono and tRPC, on the deps
 *       an API process builds (src/server/api-deps.ts): the token check, admission (rate limit), the tenant request's transaction and
 *       access check, listProducts through drizzle, the superjson wire walk.
 *
 * Started by bench/http-floor.ts with FLOOR_PORT, FLOOR_CONTEXT_KEY, the role
 * URLs as DATABASE_*_URL (as an API process gets them) and FLOOR_OWNER_URL.
 */
import postgres from "postgres";
import { resolveRoleNames, type RoleUrls } from "../src/db/roles.ts";
import { env, roleUrlsFromEnv } from "../src/env.ts";
import { stopOnSignals, stopWhenOrphaned } from "../src/lib/stop-signals.ts";
import { bearerToken } from "../src/lib/tokens.ts";
import { listProducts } from "../src/services/products/list.ts";
import { admitTenantRequest } from "../src/tenancy/admission.ts";
import { createContextStatements } from "../src/tenancy/db-context.ts";
import { readTenantAccess } from "../src/tenancy/tenant-request.ts";
import type { ScopedConnection } from "../src/tenancy/transaction.ts";
import { parseTenantRef } from "../src/tenancy/tenant-ref.ts";
import { serializeForWire } from "../src/trpc/wire-json.ts";
import { apiDepsFromEnv } from "../src/server/api-deps.ts";

const need = (name: string) => process.env[name] ?? (console.error(`floor-server: ${name} is not set`), process.exit(2));
const mode = need("FLOOR_MODE");
const roleUrls = roleUrlsFromEnv(env) as RoleUrls;
const contextKey = need("FLOOR_CONTEXT_KEY");
const POOL_MAX = 10; // an API process's DATABASE_POOL_MAX default

const notFound = () => new Response("no such business", { status: 404 });

/** FLOOR_MODE=transaction: our statements, built by our own modules, run from raw postgres.js. */
async function transactionFloor(): Promise<(headers: Headers) => Promise<Response>> {
  const sql = postgres(roleUrls.app, { max: POOL_MAX, onnotice: () => {} });
  const ownerUrl = need("FLOOR_OWNER_URL");
  const contexts = createContextStatements({ key: contextKey, roles: resolveRoleNames(ownerUrl, roleUrls) });
  const request = { userId: Number(need("FLOOR_USER_ID")), sessionId: need("FLOOR_SESSION_ID"), permission: "catalog:read", readOnly: true };
  // tenantKey → business id, as our API caches it (the tenant role cannot list businesses).
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  const businessIds = new Map((await owner<{ tenant_key: string; id: string }[]>`select tenant_key, id from public.business_tenants`).map((r) => [r.tenant_key, Number(r.id)]));
  await owner.end();

  return async (headers) => {
    const businessId = businessIds.get(headers.get("x-tenant-id") ?? "");
    if (businessId === undefined) return notFound();
    const conn = await sql.reserve();
    try {
      // Sent together, in this order, as src/tenancy/transaction.ts and scopes.ts send them.
      const [, , , rows] = await Promise.all([
        conn`begin read only`.execute(),
        contexts.tenant(businessId, request.userId)(conn).execute(),
        readTenantAccess(conn as unknown as ScopedConnection, businessId, request),
        conn`select id, category_id, name, description, price_cents, currency, stock, status, image_file_id, created_at, updated_at
               from public.products where business_id = ${businessId} and deleted_at is null order by id desc limit 21`.execute(),
      ]);
      conn`commit`.execute().catch(() => {});
      return Response.json({ result: { data: { json: { items: rows!.slice(0, 20), nextCursor: rows!.length > 20 ? rows![19]!.id : null } } } });
    } catch (error) {
      await conn`rollback`.catch(() => {});
      return new Response(String(error), { status: 500 });
    } finally {
      conn.release();
    }
  };
}

/** FLOOR_MODE=tenancy: what products.list runs, minus Hono and tRPC (and zod's input and output checks). */
function tenancyFloor(): (headers: Headers) => Promise<Response> {
  const deps = apiDepsFromEnv({ roleUrls, contextKey, poolMax: POOL_MAX });
  return async (headers) => {
    const claims = await deps.tokens.verifyAccess(bearerToken(headers) ?? "");
    const tenantRef = parseTenantRef(headers.get("x-tenant-id") ?? "");
    const businessId = tenantRef && (await admitTenantRequest(deps.admission, { tenantRef, userId: claims.userId, headers }));
    if (!businessId) return notFound();
    const request = { userId: claims.userId, sessionId: claims.sessionId, permission: "catalog:read", readOnly: true };
    const page = await deps.scopes.forTenantRequest(businessId, request, (scope) => listProducts(scope, { limit: 20 }));
    return Response.json({ result: { data: serializeForWire(page) } });
  };
}

// Read before anything is awaited: by then the benchmark that started this process may be gone.
const parent = process.ppid;
const productsList = mode === "transaction" ? await transactionFloor() : mode === "tenancy" ? tenancyFloor() : (console.error(`floor-server: unknown FLOOR_MODE ${mode}`), process.exit(2));

const server = Bun.serve({
  port: Number(need("FLOOR_PORT")),
  fetch: (request) =>
    new URL(request.url).pathname === "/health" ? new Response("ok") : productsList(request.headers).catch((error: unknown) => new Response(String(error), { status: 500 })),
});
// Gone with the benchmark, even if it was killed.
stopWhenOrphaned(stopOnSignals(() => server.stop(true)), parent);
