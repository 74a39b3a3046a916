/**
 * A's tenant token (search.token), used straight against Meilisearch over HTTP
 * the way the mobile app would: every search route answers with A's documents
 * only, whatever the request asks; every other route, index, and any expired,
 * altered or foreign-signed token is refused. The key that signs it may only
 * search the products and services indexes; it is not the master key.
 */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { decodeJwt } from "jose";
import { tenantToken, tokenKeyUid } from "../../src/tenancy/search-token.ts";
import { env } from "../../src/env.ts";
import { makeCategory, makeProduct, makeService, shop, unique } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";
import { INDEXES, MEILI_URL, meili, untilDocuments, withSearchWorker } from "./support.ts";

setDefaultTimeout(60_000);

withSearchWorker();

let A: Awaited<ReturnType<typeof shop>>;
let B: Awaited<ReturnType<typeof shop>>;
let token: string;
const word = unique("lassi");
const idsOf = { A: [] as number[], B: [] as number[] };

beforeAll(async () => {
  [A, B] = await Promise.all([shop(), shop()]);
  const [catA, catB] = await Promise.all([makeCategory(A.owner, A.tenant, { name: `Drinks ${word}` }), makeCategory(B.owner, B.tenant, { name: `Secret ${word}` })]);
  for (const i of [1, 2]) {
    idsOf.A.push((await makeProduct(A.owner, A.tenant, { name: `${word} ${i}`, categoryId: catA.id })).id);
    idsOf.B.push((await makeProduct(B.owner, B.tenant, { name: `${word} ${i}`, categoryId: catB.id, status: "draft" })).id);
  }
  await Promise.all([makeService(A.owner, A.tenant, { name: `${word} service` }), makeService(B.owner, B.tenant, { name: `${word} service` })]);
  for (const [t, ids] of [[A, idsOf.A], [B, idsOf.B]] as const) {
    await untilDocuments("products", t.tenant.businessId, "products indexed", (d) => ids.every((id) => d.has(id)));
    await untilDocuments("services", t.tenant.businessId, "a service indexed", (d) => d.size === 1);
  }
  token = recordSecret((await A.api.search.token.query()).token);
});

const asA = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, key = token) => meili<T>(method, path, body, { key });
type Hits = { hits: { tenant_id: number; id: number }[]; facetDistribution?: Record<string, Record<string, number>> };
const tenantsOf = (hits: { tenant_id: number }[]) => [...new Set(hits.map((h) => h.tenant_id))];

describe("what search.token returns", () => {
  test("host, index, expiry within the hour, and search rules forcing this business on both indexes", async () => {
    const issued = await A.api.search.token.query();
    recordSecret(issued.token);
    expect(issued.host).toBe(MEILI_URL);
    expect(issued.indexUid).toBe(INDEXES.products);
    expect(issued.indexes).toEqual({ products: INDEXES.products, services: INDEXES.services });
    const claims = decodeJwt(issued.token) as { exp: number; apiKeyUid: string; searchRules: Record<string, { filter: string }> };
    expect(claims.exp * 1000).toBe(issued.expiresAt.getTime());
    expect(issued.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(issued.expiresAt.getTime() - Date.now()).toBeGreaterThan(3_000_000);
    const filter = `tenant_id = ${A.tenant.businessId}`;
    expect(claims.searchRules).toEqual({ [INDEXES.products]: { filter }, [INDEXES.services]: { filter } });
    expect(claims.apiKeyUid).toBe(tokenKeyUid(env.MEILI_INDEX_PREFIX));
  });

  test("the signing key may only search the products and services indexes, never expires, and is not the master key", async () => {
    const { status, body } = await meili<{ actions: string[]; indexes: string[]; expiresAt: unknown; key: string }>("GET", `/keys/${tokenKeyUid(env.MEILI_INDEX_PREFIX)}`);
    expect(status).toBe(200);
    recordSecret(body.key);
    expect(body.actions).toEqual(["search"]);
    expect(body.indexes.sort()).toEqual([INDEXES.products, INDEXES.services].sort());
    expect(body.expiresAt).toBeNull();
    expect(body.key).not.toBe(env.MEILI_MASTER_KEY);
  });
});

describe("A's token over HTTP: the search routes show A's documents only", () => {
  test("search: everything, and filters that ask for B", async () => {
    const all = await asA<Hits>("POST", `/indexes/${INDEXES.products}/search`, { q: word, limit: 1000 });
    expect(all.status).toBe(200);
    expect(all.body.hits.map((h) => h.id).sort()).toEqual([...idsOf.A].sort());
    for (const filter of [`tenant_id = ${B.tenant.businessId}`, `tenant_id = ${B.tenant.businessId} OR tenant_id = ${A.tenant.businessId}`, `NOT tenant_id = ${A.tenant.businessId}`, "tenant_id EXISTS", "status = draft"]) {
      const { status, body } = await asA<Hits>("POST", `/indexes/${INDEXES.products}/search`, { q: "", filter, limit: 1000 });
      expect(status).toBe(200);
      expect(tenantsOf(body.hits).filter((t) => t !== A.tenant.businessId)).toEqual([]);
    }
  });

  test("GET search, sorting and facets count A only", async () => {
    const get = await asA<Hits>("GET", `/indexes/${INDEXES.products}/search?q=${word}&limit=1000`);
    expect(tenantsOf(get.body.hits)).toEqual([A.tenant.businessId]);
    const faceted = await asA<Hits>("POST", `/indexes/${INDEXES.products}/search`, { q: "", facets: ["tenant_id", "category", "status"], limit: 0 });
    expect(faceted.body.facetDistribution!.tenant_id).toEqual({ [String(A.tenant.businessId)]: 2 });
    expect(faceted.body.facetDistribution!.category).toEqual({ [`Drinks ${word}`]: 2 });
  });

  test("multi-search and federated search over both indexes", async () => {
    const queries = [
      { indexUid: INDEXES.products, q: word, filter: `tenant_id = ${B.tenant.businessId} OR tenant_id EXISTS` },
      { indexUid: INDEXES.services, q: word, filter: `NOT tenant_id = ${A.tenant.businessId} OR active = true` },
    ];
    const multi = await asA<{ results: Hits[] }>("POST", "/multi-search", { queries });
    expect(multi.status).toBe(200);
    expect(multi.body.results.map((r) => tenantsOf(r.hits))).toEqual([[A.tenant.businessId], [A.tenant.businessId]]);
    const federated = await asA<Hits>("POST", "/multi-search", { federation: {}, queries });
    expect(federated.status).toBe(200);
    expect(tenantsOf(federated.body.hits)).toEqual([A.tenant.businessId]);
  });

  test("facet search", async () => {
    const category = await asA<{ facetHits: { value: string; count: number }[] }>("POST", `/indexes/${INDEXES.products}/facet-search`, { facetName: "category", facetQuery: "" });
    expect(category.status).toBe(200);
    expect(category.body.facetHits).toEqual([{ value: `Drinks ${word}`, count: 2 }]);
    const tenants = await asA<{ facetHits: { value: string }[] }>("POST", `/indexes/${INDEXES.products}/facet-search`, { facetName: "tenant_id", facetQuery: "" });
    // Facet search matches string values only, so numeric tenant ids may not be listed at all; B's never is.
    expect(tenants.status).toBe(200);
    expect(tenants.body.facetHits.map((h) => h.value).filter((v) => v !== String(A.tenant.businessId))).toEqual([]);
    const status = await asA<{ facetHits: { value: string; count: number }[] }>("POST", `/indexes/${INDEXES.products}/facet-search`, { facetName: "status", facetQuery: "dra" });
    expect(status.body.facetHits).toEqual([]); // B's products are the drafts
  });
});

describe("everything else is refused", () => {
  const bDoc = () => `${B.tenant.businessId}-${idsOf.B[0]}`;
  const refused: [string, string, () => string, unknown?][] = [
    ["documents", "GET", () => `/indexes/${INDEXES.products}/documents`],
    ["a document of B", "GET", () => `/indexes/${INDEXES.products}/documents/${bDoc()}`],
    ["documents/fetch", "POST", () => `/indexes/${INDEXES.products}/documents/fetch`, {}],
    ["adding documents", "POST", () => `/indexes/${INDEXES.products}/documents`, [{ uid: "x", tenant_id: 1 }]],
    ["deleting documents", "POST", () => `/indexes/${INDEXES.products}/documents/delete`, { filter: "tenant_id EXISTS" }],
    ["settings", "GET", () => `/indexes/${INDEXES.products}/settings`],
    ["changing settings", "PATCH", () => `/indexes/${INDEXES.products}/settings`, { filterableAttributes: [] }],
    ["keys", "GET", () => "/keys"],
    ["creating a key", "POST", () => "/keys", { actions: ["*"], indexes: ["*"], expiresAt: null }],
    ["tasks", "GET", () => "/tasks"],
    ["stats", "GET", () => "/stats"],
    ["the index list", "GET", () => "/indexes"],
    ["the public directory index", "POST", () => `/indexes/${INDEXES.directory}/search`, { q: "" }],
    ["an index of another deployment", "POST", () => "/indexes/someone-else-products/search", { q: "" }],
    ["a dump", "POST", () => "/dumps"],
  ];
  for (const [label, method, path, body] of refused) {
    test(`${label} → 401/403`, async () => {
      expect([401, 403]).toContain((await asA(method, path(), body)).status);
    });
  }

  const searchWith = (key: string) => meili<Hits>("POST", `/indexes/${INDEXES.products}/search`, { q: "" }, { key });

  test("an expired token (same key, same rules, its hour over)", async () => {
    const expired = recordSecret((await scopes.asTenant(A.tenant.businessId, (s) => s.search.token(Date.now() - 2 * 3_600_000))).token);
    expect((await searchWith(expired)).status).toBe(403);
  });

  test("an altered token: A's rules rewritten to B's, or to no rule at all", async () => {
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    for (const searchRules of [{ [INDEXES.products]: { filter: `tenant_id = ${B.tenant.businessId}` } }, ["*"]]) {
      const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, searchRules })).toString("base64url")}.${signature}`;
      expect((await searchWith(altered)).status).toBe(403);
    }
  });

  test("a token signed with another key under the real key's uid, and A's token on an unknown uid", async () => {
    const names = { products: INDEXES.products, services: INDEXES.services, directory: INDEXES.directory };
    const forged = await tenantToken({ uid: tokenKeyUid(env.MEILI_INDEX_PREFIX), key: `forged-${crypto.randomUUID()}` }, names, B.tenant.businessId);
    expect((await searchWith(recordSecret(forged.token))).status).toBe(403);
    // The control: the same call with the real key works, so the refusal above is about the signature.
    expect((await searchWith(token)).status).toBe(200);
  });
});
