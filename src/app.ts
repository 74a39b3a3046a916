/**
 * createApp(): the HTTP surface. Hono serves /health, the tRPC router and /files; every
 * request gets a request id and runs inside its own AsyncLocalStorage context.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { trpcServer } from "@hono/trpc-server";
import type { AnyRouter } from "@trpc/server";
import { sql } from "drizzle-orm";
import { fileRoutes } from "./http/files.ts";
import { errorJson, requestMeta } from "./http/request-meta.ts";
import { logger } from "./lib/logger.ts";
import { rateLimitHeadersFor } from "./tenancy/admission.ts";
import { cacheHealthDetail } from "./tenancy/cache-health.ts";
import { withContext, currentContext } from "./tenancy/request-context.ts";
import { createContext, type AppDeps } from "./trpc/context.ts";
import { genericMessage } from "./trpc/errors.ts";
import { appRouter } from "./trpc/router.ts";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/**
 * What one request may ask of what every tenant shares, refused before any
 * database work: a tRPC body of at most 1 MiB and at most 50 calls per batch
 * (set a client's httpBatchLink `maxItems` to 50 or less).
 */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;
export const TRPC_MAX_BATCH_SIZE = 50;

export function createApp(deps: AppDeps, router: AnyRouter = appRouter) {
  const app = new Hono();

  app.use("*", async (c, next) => {
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    await withContext({ requestId }, next);
    // After next(): a handler's own Response replaces c.res and would drop an earlier header. tRPC's
    // responses carry it already (responseMeta below): Hono sets a header on a finished response by
    // copying the whole response, once per header.
    if (c.res.headers.get("x-request-id") !== requestId) c.header("x-request-id", requestId);
  });

  app.get("/health", async (c) => {
    const [db, cache, search] = await Promise.all([
      deps.scopes.asPlatform((s) => s.db.execute(sql`select 1`), { readOnly: true }).then(() => true, () => false),
      deps.checks.cache().catch(() => false),
      deps.checks.search().catch(() => false),
    ]);
    const detail = await cacheHealthDetail(deps, { headers: c.req.raw.headers, wantsTenants: c.req.query("detail") === "tenants" }, cache);
    const body = { status: db ? "ok" : "degraded", db: db ? "up" : "down", cache: cache ? "up" : "down", search: search ? "up" : "down", detail };
    return c.json(body, db ? 200 : 503);
  });

  app.use(
    "/trpc/*",
    bodyLimit({
      maxSize: TRPC_MAX_BODY_BYTES,
      onError: (c) =>
        c.json({ error: { code: "PAYLOAD_TOO_LARGE", message: `A request body may be at most ${TRPC_MAX_BODY_BYTES} bytes`, requestId: currentContext()?.requestId } }, 413),
    }),
  );
  app.use(
    "/trpc/*",
    trpcServer({
      endpoint: "/trpc",
      router,
      maxBatchSize: TRPC_MAX_BATCH_SIZE,
      allowMethodOverride: false,
      createContext: (_opts, c) => createContext(deps, requestMeta(c, deps)),
      // The request id and the rate-limit fields, set as tRPC builds its response.
      responseMeta: ({ ctx }) => {
        const requestId = currentContext()?.requestId;
        const limits = ctx && rateLimitHeadersFor(ctx.headers);
        return { headers: { ...(requestId && { "x-request-id": requestId }), ...limits } };
      },
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ err: error.cause ?? error, path }, "procedure failed");
      },
    }),
  );

  app.route("/files", fileRoutes(deps));

  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: "No such route" } }, 404));
  app.onError((error, c) => {
    logger.error({ err: error }, "request failed");
    return errorJson(c, 500, "INTERNAL_SERVER_ERROR", genericMessage(currentContext()?.requestId));
  });
  return app;
}
