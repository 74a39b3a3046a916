/**
 * search.products and search.services never show another business's documents,
 * whatever the filter says. Both businesses hold documents that match the same
 * words, so a filter that escaped its business would find B's. Each hostile
 * filter is tried twice: through the API (refused with BAD_REQUEST, or
 * answered with A's documents only), and straight against Meilisearch in the
 * exact form the search door sends it (tenantFilter), without the API's
 * refusal of `tenant_id`: the forced condition holds on its own.
 */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { tenantFilter } from "../../src/tenancy/search-filter.ts";
import { expectCode } from "../setup/client.ts";
import { makeCategory, makeProduct, makeService, shop, unique } from "../setup/fixtures.ts";
import { INDEXES, meili, untilDocuments, withSearchWorker } from "./support.ts";

setDefaultTimeout(60_000);

withSearchWorker();

let A: Awaited<ReturnType<typeof shop>>;
let B: Awaited<ReturnType<typeof shop>>;
const word = unique("masala");
const own = { products: [] as number[], services: [] as number[] };
const foreign = { products: [] as number[], services: [] as number[] };

beforeAll(async () => {
  [A, B] = await Promise.all([shop(), shop()]);
  const [catA, catB] = await Promise.all([makeCategory(A.owner, A.tenant, { name: `Spices ${word}` }), makeCategory(B.owner, B.tenant, { name: `Other ${word}` })]);
  for (const [i, status] of (["active", "draft", "active"] as const).entries()) {
    own.products.push((await makeProduct(A.owner, A.tenant, { name: `${word} chai ${i}`, priceCents: 100 * (i + 1), status, categoryId: catA.id })).id);
    // B's look the same to a search for the word, but cost more, sell in dollars and sit in another category.
    foreign.products.push((await makeProduct(B.owner, B.tenant, { name: `${word} chai ${i}`, priceCents: 10_000 + i, currency: "USD", status, categoryId: catB.id })).id);
  }
  own.services.push((await makeService(A.owner, A.tenant, { name: `${word} massage` })).id);
  foreign.services.push((await makeService(B.owner, B.tenant, { name: `${word} massage` })).id);
  for (const [business, ids] of [[A, own], [B, foreign]] as const) {
    await untilDocuments("products", business.tenant.businessId, "products indexed", (d) => ids.products.every((id) => d.has(id)));
    await untilDocuments("services", business.tenant.businessId, "services indexed", (d) => ids.services.every((id) => d.has(id)));
  }
});

const searchA = (input: { q?: string; filter?: string; sort?: string[]; facets?: string[]; limit?: number }) => A.api.search.products.query(input as never);

/** Every hit is A's, and (when expected) A's products are all found. */
async function onlyOwn(input: Parameters<typeof searchA>[0], expectAll = true) {
  const page = await searchA(input);
  const ids = page.hits.map((h) => h.id);
  expect(ids.filter((id) => !own.products.includes(id))).toEqual([]);
  if (expectAll) expect(ids.sort()).toEqual([...own.products].sort());
  return page;
}

describe("hostile filters find nothing of another business", () => {
  const bId = () => B.tenant.businessId;
  const aId = () => A.tenant.businessId;
  const hostile: [string, () => string][] = [
    ["tenant_id = B", () => `tenant_id = ${bId()}`],
    ["tenant_id = B OR tenant_id = A", () => `tenant_id = ${bId()} OR tenant_id = ${aId()}`],
    ["NOT tenant_id = A", () => `NOT tenant_id = ${aId()}`],
    ["tenant_id EXISTS", () => "tenant_id EXISTS"],
    ["tenant_id IN [A, B]", () => `tenant_id IN [${aId()}, ${bId()}]`],
    ["1) OR (tenant_id = B", () => `1) OR (tenant_id = ${bId()}`],
    ["closing the server's parenthesis without naming tenant_id", () => "status = active) OR (id EXISTS"],
    ["TENANT_ID in capitals", () => `TENANT_ID = ${bId()}`],
    ["a quoted attribute name", () => `"tenant_id" = ${bId()}`],
    ["unbalanced quotes", () => `name = "${word}`],
    ["unbalanced opening parenthesis", () => "(status = active OR status = draft"],
    ["unbalanced closing parenthesis", () => "status = active) OR id EXISTS"],
    ["_geoRadius", () => "_geoRadius(0, 0, 100000000)"],
    ["_geoRadius OR everything", () => "_geoRadius(0, 0, 1) OR id EXISTS"],
    ["_geoBoundingBox over the whole earth", () => "_geoBoundingBox([90, 180], [-90, -180])"],
    ["nesting past Meilisearch's depth limit", () => `${"(".repeat(400)}status = active${")".repeat(400)}`],
    ["a filter of 10,000 characters", () => `id != 0 AND `.repeat(833) + "id != 1"],
  ];

  for (const [label, filter] of hostile) {
    test(`${label}: BAD_REQUEST or A's documents only, through the API`, async () => {
      const answer = await searchA({ q: word, filter: filter() }).then(
        (page) => ({ ok: true as const, page }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      if (!answer.ok) {
        await expectCode(Promise.reject(answer.error), "BAD_REQUEST");
        return;
      }
      expect(answer.page.hits.map((h) => h.id).filter((id) => !own.products.includes(id))).toEqual([]);
    });

    test(`${label}: as the door sends it, Meilisearch refuses it or answers with A's documents only`, async () => {
      const { status, body } = await meili<{ hits?: { tenant_id: number }[] }>("POST", `/indexes/${INDEXES.products}/search`, {
        q: word,
        filter: tenantFilter(aId(), filter()),
        limit: 1000,
      });
      expect([200, 400]).toContain(status);
      if (status === 200) expect(body.hits!.filter((h) => h.tenant_id !== aId())).toEqual([]);
    });
  }

  test("the attack is real: the same filter spliced into one string does reach B (so the checks above can fail)", async () => {
    const spliced = `tenant_id = ${aId()} AND (status = active) OR (tenant_id = ${bId()})`;
    const { body } = await meili<{ hits: { tenant_id: number }[] }>("POST", `/indexes/${INDEXES.products}/search`, { q: word, filter: spliced });
    expect(body.hits.some((h) => h.tenant_id === bId())).toBe(true);
  });

  test("filters naming tenant_id are refused, with a message that says why", async () => {
    const error = await expectCode(searchA({ q: "", filter: `tenant_id = ${aId()}` }), "BAD_REQUEST");
    expect(error.message).toContain("tenant_id");
  });

  test("a malformed filter is BAD_REQUEST with Meilisearch's explanation, not a 500, and never names the index", async () => {
    const error = await expectCode(searchA({ q: "", filter: "status = active) OR (id EXISTS" }), "BAD_REQUEST");
    expect(error.message).toMatch(/^Invalid filter: /);
    expect(error.message).not.toContain(INDEXES.products);
    await expectCode(searchA({ q: "", filter: "price_cents >" }), "BAD_REQUEST");
    await expectCode(searchA({ q: "", filter: "no_such_field = 1" }), "BAD_REQUEST");
    await expectCode(searchA({ q: "", filter: "a\u0000b" }), "BAD_REQUEST");
  });
});

describe("what A may ask, A gets for itself only", () => {
  test("an empty query and no filter: every product of A, none of B", () => onlyOwn({ q: "" }).then(() => undefined));
  test("the word both businesses use", () => onlyOwn({ q: word }).then(() => undefined));
  test("a filter that matches everything (id EXISTS OR NOT id EXISTS), empty and blank filters", async () => {
    await onlyOwn({ q: "", filter: "id EXISTS OR NOT id EXISTS" });
    await onlyOwn({ q: "", filter: "" });
    await onlyOwn({ q: "", filter: "   " });
  });
  test("a long valid filter (about 1,900 characters) still finds A's own", () => onlyOwn({ q: "", filter: `id != 0 AND `.repeat(160) + "id >= 0" }).then(() => undefined));

  test("typo tolerance: one letter wrong in the word still finds A's products", async () => {
    const typo = `${word.slice(0, 3)}${word[3] === "x" ? "y" : "x"}${word.slice(4)}`;
    await onlyOwn({ q: typo });
  });

  test("facets count A's documents only (B's currency and category never appear)", async () => {
    const page = await onlyOwn({ q: word, facets: ["status", "currency", "category"] });
    expect(page.facetDistribution.currency).toEqual({ INR: 3 });
    expect(page.facetDistribution.status).toEqual({ active: 2, draft: 1 });
    expect(Object.keys(page.facetDistribution.category ?? {})).toEqual([`Spices ${word}`]);
  });

  test("sorting by price, both ways, over A's only", async () => {
    const asc = await onlyOwn({ q: "", sort: ["price_cents:asc"] });
    expect(asc.hits.map((h) => h.priceCents)).toEqual([100, 200, 300]);
    const desc = await onlyOwn({ q: "", sort: ["price_cents:desc"] });
    expect(desc.hits.map((h) => h.priceCents)).toEqual([300, 200, 100]);
  });

  test("estimatedTotalHits and paging count A's documents only", async () => {
    const page = await searchA({ q: word, limit: 1 });
    expect(page.estimatedTotalHits).toBe(3);
    expect(page.hits).toHaveLength(1);
  });

  test("sorting or faceting by something not offered (tenant_id among them) is BAD_REQUEST", async () => {
    for (const input of [{ sort: ["tenant_id:asc"] }, { sort: ["price_cents"] }, { facets: ["tenant_id"] }, { facets: ["description"] }, { limit: 0 }, { offset: 5000 }]) {
      await expectCode(A.api.search.products.query({ q: "", ...input } as never), "BAD_REQUEST");
    }
  });

  test("services: the same forced filter", async () => {
    const page = await A.api.search.services.query({ q: word });
    expect(page.hits.map((h) => h.id)).toEqual(own.services);
    const hostile = await A.api.search.services.query({ q: word, filter: "active = true OR active = false" });
    expect(hostile.hits.map((h) => h.id)).toEqual(own.services);
    await expectCode(A.api.search.services.query({ q: "", filter: `tenant_id = ${B.tenant.businessId}` }), "BAD_REQUEST");
  });

  test("B, asking the same, gets its own (both sides of the boundary hold)", async () => {
    const page = await B.api.search.products.query({ q: word });
    expect(page.hits.map((h) => h.id).sort()).toEqual([...foreign.products].sort());
  });
});
