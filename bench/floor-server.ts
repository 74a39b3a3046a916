/**
 * The floors of the products.list benchmark (bench/http.ts): servers with no
 * HTTP framework at all, on Bun.serve, so the benchmark can say what each layer
 * of ours costs and what no design on this stack and machine gets below.
 *
 *   FLOOR_MODE=transaction  the least any server keeping this product's promise
 *       must do per request: postgres.js on the tenant role sends exactly the
 *       statements our API sends, in one write (BEGIN READ ONLY, the signed
 *       context, the access check app.tenant_request_access, the page of
 *       products, COMMIT). No token check, no rate limit, no tRPC, no drizzle,
 *       no superjson: the business comes from a map loaded at start, the user
 *       and session are given (FLOOR_USER_ID, FLOOR_SESSION_ID).
 *   FLOOR_MODE=tenancy  our own request path without Hono and tRPC: the token
 *       check, admission (rate limit), the tenant request's transaction and
 *       access check, listProducts through drizzle, the superjson wire walk.
 *
 * Started by bench/http-floor.ts with FLOOR_PORT, FLOOR_CONTEXT_KEY, the role
 * URLs as DATABASE_*_URL (as an API process gets them) and FLOOR_OWNER_URL.
 */
import postgres from "postgres";
import type { RoleUrls } from "../src/db/roles.ts";
import { createDeps } from "../src/deps.ts";
import { env, roleUrlsFromEnv } from "../src/env.ts";
import { contextSigner } from "../src/lib/context-signature.ts";
import { bearerToken } from "../src/lib/tokens.ts";
import { listProducts } from "../src/services/products/list.ts";
import { admitTenantRequest } from "../src/tenancy/admission.ts";
import { CONTEXT_TTL_SECONDS } from "../src/tenancy/db-context.ts";
import { parseTenantRef } from "../src/tenancy/tenant-ref.ts";
import { serializeForWire } from "../src/trpc/wire-json.ts";

const need = (name: string) => process.env[name] ?? (console.error(`floor-server: ${name} is not set`), process.exit(2));
const mode = need("FLOOR_MODE");
const roleUrls = roleUrlsFromEnv(env) as RoleUrls;
const contextKey = need("FLOOR_CONTEXT_KEY");
const POOL_MAX = 10; // an API process's DATABASE_POOL_MAX default

const notFound = () => new Response("no such business", { status: 404 });

/** FLOOR_MODE=transaction: our statements in raw postgres.js. */
async function transactionFloor(): Promise<(headers: Headers) => Promise<Response>> {
  const sql = postgres(roleUrls.app, { max: POOL_MAX, onnotice: () => {} });
  const sign = contextSigner(contextKey);
  const role = decodeURIComponent(new URL(roleUrls.app).username);
  const userId = Number(need("FLOOR_USER_ID"));
  const sessionId = need("FLOOR_SESSION_ID");
  // tenantKey → business id, as our API caches it (the tenant role cannot list businesses).
  const owner = postgres(need("FLOOR_OWNER_URL"), { max: 1, onnotice: () => {} });
  const businessIds = new Map((await owner<{ tenant_key: string; id: string }[]>`select tenant_key, id from public.business_tenants`).map((r) => [r.tenant_key, Number(r.id)]));
  await owner.end();

  return async (headers) => {
    const businessId = businessIds.get(headers.get("x-tenant-id") ?? "");
    if (businessId === undefined) return notFound();
    const context = sign({ role, tenantId: businessId, userId, expiresAt: Math.floor(Date.now() / 1000) + CONTEXT_TTL_SECONDS });
    const conn = await sql.reserve();
    try {
      const [, , , rows] = await Promise.all([
        conn`begin read only`.execute(),
        conn`select set_config('app.context', ${context}, true)`.execute(),
        conn`select tenant_key, slug, status, role, permissions from app.tenant_request_access(${sessionId}::uuid, ${userId}::bigint, 'catalog:read', false)`.execute(),
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
  const deps = createDeps({ roleUrls, contextKey, pool: { max: POOL_MAX }, tokens: { secret: need("JWT_SECRET") }, redisUrl: env.REDIS_URL, baseDomain: "desibazaar.test" });
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

const productsList = mode === "transaction" ? await transactionFloor() : mode === "tenancy" ? tenancyFloor() : (console.error(`floor-server: unknown FLOOR_MODE ${mode}`), process.exit(2));

// Gone with the benchmark, even if it was killed: an orphan would keep its connections.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref();

const server = Bun.serve({
  port: Number(need("FLOOR_PORT")),
  fetch: (request) =>
    new URL(request.url).pathname === "/health" ? new Response("ok") : productsList(request.headers).catch((error: unknown) => new Response(String(error), { status: 500 })),
});
process.on("SIGTERM", () => {
  void server.stop(true);
  process.exit(0);
});
