/**
 * One client must not exhaust what every tenant shares: a tRPC batch over 50
 * calls (400) and a body over 1 MiB (413) are refused before any procedure, and
 * so before any database work, runs. The probe router counts the procedure
 * calls that did run.
 */
import { describe, expect, test } from "bun:test";
import { createApp, TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from "../../src/app.ts";
import { router } from "../../src/trpc/init.ts";
import { publicProcedure } from "../../src/trpc/procedures.ts";
import { deps } from "../setup/harness.ts";

let ran = 0;
const probe = router({ ping: publicProcedure.query(() => ++ran) });
const app = createApp(deps, probe);

const batch = (n: number) =>
  app.fetch(new Request(`http://api.desibazaar.test/trpc/${Array.from({ length: n }, () => "ping").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`));

describe("batches", () => {
  test(`${TRPC_MAX_BATCH_SIZE} calls in one batch run (control)`, async () => {
    ran = 0;
    expect((await batch(TRPC_MAX_BATCH_SIZE)).status).toBe(200);
    expect(ran).toBe(TRPC_MAX_BATCH_SIZE);
  });

  test(`${TRPC_MAX_BATCH_SIZE + 1} and 2,000 calls → 400, and not one procedure ran`, async () => {
    ran = 0;
    for (const n of [TRPC_MAX_BATCH_SIZE + 1, 2_000]) {
      const response = await batch(n);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Batch call exceeds maximum size");
    }
    expect(ran).toBe(0);
  });
});

describe("bodies", () => {
  const post = (bytes: number, headers: Record<string, string> = {}) =>
    app.fetch(
      new Request("http://api.desibazaar.test/trpc/ping", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ json: "x".repeat(Math.max(0, bytes - 11)) }), // exactly `bytes` long
      }),
    );

  test("a 50 MiB body → 413 with a message naming the limit; nothing ran", async () => {
    ran = 0;
    const response = await post(50 * 1024 * 1024);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining(String(TRPC_MAX_BODY_BYTES)) });
    expect(ran).toBe(0);
  });

  test("a body one byte over the limit → 413; a body under it reaches tRPC", async () => {
    expect((await post(TRPC_MAX_BODY_BYTES + 1)).status).toBe(413);
    // ping is a query: a POST reaches tRPC and is refused by it (405), not by the size limit.
    expect((await post(1024)).status).not.toBe(413);
  });

  test("a streamed body without Content-Length is counted as it arrives", async () => {
    const chunk = new Uint8Array(256 * 1024);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await app.fetch(new Request("http://api.desibazaar.test/trpc/ping", { method: "POST", body: stream, duplex: "half" } as RequestInit));
    expect(response.status).toBe(413);
  });
});
