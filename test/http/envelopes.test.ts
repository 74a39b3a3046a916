/**
 * Malformed superjson envelopes and bodies, sent raw over the HTTP surface: a
 * plain BAD_REQUEST with a message of ours, never superjson's or the JSON
 * parser's own text (it once answered "Maximum call stack size exceeded." for
 * `meta: { values: "Date" }` and quoted superjson's source for
 * `meta: { referentialEqualities: "x" }`). A well-formed envelope still works.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import superjson from "superjson";
import { shop } from "../setup/fixtures.ts";
import { app } from "../setup/harness.ts";

setDefaultTimeout(30_000);

const LIBRARY_TEXT = /is not a function|Maximum call stack|superjson|identicalPaths|forEach|github\.com|JSON Parse error|Unexpected token|Type error/i;
const input = { email: "someone@example.test", password: "not-the-password" };

const MALFORMED: [string, string][] = [
  ["values is a string", JSON.stringify({ json: input, meta: { values: "Date" } })],
  ["referentialEqualities is a string", JSON.stringify({ json: input, meta: { referentialEqualities: "x" } })],
  ["referentialEqualities root is a string", JSON.stringify({ json: { a: {} }, meta: { referentialEqualities: ["a"] } })],
  ["meta is a number", JSON.stringify({ json: input, meta: 7 })],
  ["values names a class", JSON.stringify({ json: {}, meta: { values: [["class", "Foo"]] } })],
  ["values names a custom type", JSON.stringify({ json: 1, meta: { values: [["custom", "nope"]] } })],
  ["values names a set", JSON.stringify({ json: 5, meta: { values: ["set"] } })],
  ["values path is __proto__", JSON.stringify({ json: {}, meta: { values: { "__proto__.x": ["Date"] } } })],
  ["values nested deeply", JSON.stringify({ json: {}, meta: { values: JSON.parse(`${"[\"map\",{\"a\":".repeat(2000)}["Date"]${"}]".repeat(2000)}`) } })],
  ["the envelope is a number", "42"],
  ["the body is not JSON", "{nope"],
];

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await app.fetch(new Request(`http://api.desibazaar.test/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }));
  return { status: res.status, body: (await res.json()) as { error?: { json: { message: string; data: { code: string } } } } };
}

describe("malformed envelopes → BAD_REQUEST in our words", () => {
  for (const [label, body] of MALFORMED) {
    test(label, async () => {
      const { status, body: answer } = await post("auth.login", body);
      expect(status).toBe(400);
      expect(answer.error?.json.data.code).toBe("BAD_REQUEST");
      expect(answer.error?.json.message).toStartWith("Malformed request:");
      expect(answer.error?.json.message).not.toMatch(LIBRARY_TEXT);
    });
  }

  test("in a query's ?input= too", async () => {
    const { owner, tenant } = await shop();
    const inputParam = encodeURIComponent(JSON.stringify({ json: {}, meta: { values: "Date" } }));
    const res = await app.fetch(
      new Request(`http://api.desibazaar.test/trpc/bookings.list?input=${inputParam}`, { headers: { authorization: `Bearer ${owner.token}`, "x-tenant-id": tenant.tenantKey } }),
    );
    const answer = (await res.json()) as { error: { json: { message: string } } };
    expect(res.status).toBe(400);
    expect(answer.error.json.message).toStartWith("Malformed request:");
  });

  test("a well-formed envelope with dates and undefined fields is read as sent", async () => {
    const { owner, tenant } = await shop();
    const body = JSON.stringify(superjson.serialize({ from: new Date("2030-01-01T00:00:00Z"), status: undefined, limit: 5 }));
    const res = await app.fetch(
      new Request(`http://api.desibazaar.test/trpc/bookings.list?input=${encodeURIComponent(body)}`, { headers: { authorization: `Bearer ${owner.token}`, "x-tenant-id": tenant.tenantKey } }),
    );
    expect(res.status).toBe(200);
  });
});
