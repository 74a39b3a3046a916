/**
 * The floor of the products.list benchmark (bench/http.ts): the least any server
 * keeping this product's promise must do per request, with no framework at all.
 * Bun.serve and postgres.js on the tenant role send exactly the statements our
 * API sends, in one write: BEGIN READ ONLY, the signed context, the access check
 * (app.tenant_request_access), the page of products, COMMIT. No token check, no
 * rate limit, no tRPC, no drizzle, no superjson: the business comes from a map
 * loaded at start, the user and session are given. What this process and
 * PostgreSQL spend per request bounds what any design on this stack and this
 * machine can reach.
 *
 * Run by bench/http-floor.ts with FLOOR_PORT, FLOOR_DATABASE_URL (the tenant
 * role), FLOOR_CONTEXT_KEY, FLOOR_ROLE, FLOOR_USER_ID, FLOOR_SESSION_ID.
 */
import postgres from "postgres";
import { contextSigner } from "../src/lib/context-signature.ts";
import { CONTEXT_TTL_SECONDS } from "../src/tenancy/db-context.ts";

const need = (name: string) => process.env[name] ?? (console.error(`floor-server: ${name} is not set`), process.exit(2));
const sql = postgres(need("FLOOR_DATABASE_URL"), { max: 10, onnotice: () => {} });
const sign = contextSigner(need("FLOOR_CONTEXT_KEY"));
const role = need("FLOOR_ROLE");
const userId = Number(need("FLOOR_USER_ID"));
const sessionId = need("FLOOR_SESSION_ID");

// tenantKey → business id, as our API caches it; the tenant role reads its businesses through the access check only.
const owner = postgres(need("FLOOR_OWNER_URL"), { max: 1, onnotice: () => {} });
const businessIds = new Map((await owner<{ tenant_key: string; id: string }[]>`select tenant_key, id from public.business_tenants`).map((r) => [r.tenant_key, Number(r.id)]));
await owner.end();

async function productsList(tenantKey: string | null): Promise<Response> {
  const businessId = tenantKey ? businessIds.get(tenantKey) : undefined;
  if (businessId === undefined) return new Response("no such business", { status: 404 });
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
}

// Gone with the benchmark, even if it was killed: an orphan would keep its connections.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref();

const server = Bun.serve({
  port: Number(need("FLOOR_PORT")),
  fetch: (request) => (new URL(request.url).pathname === "/health" ? new Response("ok") : productsList(request.headers.get("x-tenant-id"))),
});
process.on("SIGTERM", () => {
  void server.stop(true);
  void sql.end({ timeout: 1 }).finally(() => process.exit(0));
});
