/**
 * Stopping an API process: Bun's server.stop() does not wait for a handler
 * whose client has gone away, so serveApi's stop also waits for drainable()'s
 * handlers before anything closes the pools under them.
 */
import { expect, test } from "bun:test";
import { drainable } from "../../src/server/serve.ts";

test("a handler whose client went away is still waited for after server.stop()", async () => {
  let finished = false;
  const handlers = drainable(async () => {
    await Bun.sleep(300);
    finished = true;
    return new Response("late");
  });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handlers.fetch });
  const client = new AbortController();
  const request = fetch(`http://127.0.0.1:${server.port}/`, { signal: client.signal }).catch(() => "aborted");
  await Bun.sleep(50);
  client.abort(); // the client leaves while its handler runs
  expect(await request).toBe("aborted");
  await server.stop();
  expect(finished).toBe(false); // Bun's stop did not wait for it...
  expect(await handlers.drained(5_000)).toBe(true); // ...drained does
  expect(finished).toBe(true);
});

test("drained gives up after its timeout and says so; with nothing running it answers at once", async () => {
  const handlers = drainable(() => new Promise<Response>(() => {})); // never answers
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handlers.fetch });
  const client = new AbortController();
  void fetch(`http://127.0.0.1:${server.port}/`, { signal: client.signal }).catch(() => {});
  await Bun.sleep(50);
  client.abort();
  await server.stop(true);
  expect(await handlers.drained(100)).toBe(false);
  expect(await drainable(() => new Response("ok")).drained(100)).toBe(true);
});
