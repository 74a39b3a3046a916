/**
 * The HTTP surface outside the procedures: /health, request ids, unknown routes,
 * and what an unexpected failure looks like to a client (generic, with the
 * request id) versus the log (the details).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { createApp } from "../../src/app.ts";
import { env } from "../../src/env.ts";
import { logger } from "../../src/lib/logger.ts";
import { router } from "../../src/trpc/init.ts";
import { publicProcedure } from "../../src/trpc/procedures.ts";
import { unique } from "../setup/fixtures.ts";
import { app, deps } from "../setup/harness.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Not recorded with recordSecret on purpose: the details of an unexpected error
// belong in the log (the contract says so); what matters is that the client never sees them.
const fakeSecret = `sk_live_${crypto.randomUUID()}`;

const probe = createApp(
  deps,
  router({
    ok: publicProcedure.query(() => "ok"),
    boom: publicProcedure.query(() => {
      throw new Error(`connection to vault failed, password=${fakeSecret}`);
    }),
    badCast: publicProcedure.query(({ ctx }) => ctx.platform((s) => s.db.execute(sql`select ${"not a number"}::int as n`))),
  }),
);

async function trpcError(response: Response) {
  const body = (await response.json()) as { error: Parameters<typeof superjson.deserialize>[0] };
  return { text: JSON.stringify(body), error: superjson.deserialize(body.error) as { message: string; data: Record<string, unknown> } };
}

describe("GET /health", () => {
  test("200 with every dependency up (the tests run real PostgreSQL, cache and Meilisearch)", async () => {
    const response = await app.request("/health");
    expect(response.status).toBe(200);
    // The contract's fields; `detail` (cache and rate-limit counts) is tested in test/cache/health.test.ts.
    expect(await response.json()).toMatchObject({ status: "ok", db: "up", cache: "up", search: "up" });
  });
});

describe("request ids", () => {
  test("a well-formed x-request-id is echoed back", async () => {
    const id = unique("req-");
    const response = await app.request("/health", { headers: { "x-request-id": id } });
    expect(response.headers.get("x-request-id")).toBe(id);
  });

  test("without one, or with a malformed one, each response gets a fresh uuid", async () => {
    const ids = [];
    for (const headers of [{}, {}, { "x-request-id": "bad id with spaces" }, { "x-request-id": "short" }] as Record<string, string>[]) {
      ids.push((await app.request("/health", { headers })).headers.get("x-request-id"));
    }
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("x-request-id is echoed on tRPC responses too, successful or not", async () => {
    for (const [target, path, status] of [[probe, "/trpc/ok", 200], [app, "/trpc/auth.me", 401], [probe, "/trpc/boom", 500]] as const) {
      const id = unique("req-");
      const response = await target.request(path, { headers: { "x-request-id": id } });
      expect({ path, status: response.status, id: response.headers.get("x-request-id") }).toEqual({ path, status, id });
    }
  });

  test("tRPC errors carry the request id in data.requestId", async () => {
    const id = unique("req-");
    const response = await app.request("/trpc/auth.me", { headers: { "x-request-id": id } });
    expect(response.status).toBe(401);
    expect((await trpcError(response)).error.data).toMatchObject({ code: "UNAUTHORIZED", requestId: id });
  });
});

describe("unknown routes", () => {
  test("an unknown path → 404 with a JSON error body", async () => {
    const response = await app.request(`/${unique("nowhere-")}`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
  });

  test("an unknown procedure → 404 NOT_FOUND in the tRPC envelope", async () => {
    const response = await app.request("/trpc/nothing.here");
    expect(response.status).toBe(404);
    expect((await trpcError(response)).error.data).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("unexpected errors", () => {
  test("→ INTERNAL_SERVER_ERROR with a generic message naming the request id, never the error's own text", async () => {
    const id = unique("req-");
    const response = await probe.request("/trpc/boom", { headers: { "x-request-id": id } });
    expect(response.status).toBe(500);
    const { text, error } = await trpcError(response);
    expect(error.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: id });
    expect(error.message).toContain(id);
    expect(text).not.toContain(fakeSecret);
    expect(text).not.toContain("vault");
    expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+/); // no stack trace
  });

  test("the details go to the log, tagged with the request id", async () => {
    const id = unique("req-");
    await probe.request("/trpc/boom", { headers: { "x-request-id": id } });
    // The log is written asynchronously: wait (bounded) for the line to land.
    let found = false;
    for (let i = 0; i < 50 && !found; i++) {
      logger.flush();
      await Bun.sleep(20);
      found = readFileSync(env.LOG_FILE!, "utf8").split("\n").some((l) => l.includes(`"requestId":"${id}"`) && l.includes("connection to vault failed"));
    }
    expect(found).toBe(true);
  });

  test("a database error the caller caused (a value of the wrong format) → BAD_REQUEST, not INTERNAL_SERVER_ERROR", async () => {
    const response = await probe.request("/trpc/badCast");
    const { error } = await trpcError(response);
    expect(error.data).toMatchObject({ code: "BAD_REQUEST" });
  });
});
