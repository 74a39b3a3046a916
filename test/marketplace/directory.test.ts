/**
 * directory.search is public: it lists published listings of open businesses
 * only, whoever asks. directory.update is how the owner edits and publishes the
 * listing. (directory.search is a public procedure, so the security matrix, which
 * is about credentials, does not apply; its public behaviour is tested here.)
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { auditRows, quickUser, setTenantStatus, shop, unique } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

const search = (input: Parameters<ReturnType<typeof client>["directory"]["search"]["query"]>[0]) => client().directory.search.query(input);

describe("directory.search", () => {
  test("published listings of active businesses only: not unpublished, suspended, pending or closed ones", async () => {
    const word = unique("kulfi");
    const shops = await Promise.all(["live", "hidden", "suspended", "pending", "closed"].map(() => shop()));
    for (const [i, s] of shops.entries()) {
      await s.api.directory.update.mutate({ displayName: `${word} ${["live", "hidden", "suspended", "pending", "closed"][i]}`, published: i !== 1 });
    }
    await setTenantStatus(shops[2]!.tenant.businessId, "suspended");
    await setTenantStatus(shops[3]!.tenant.businessId, "pending");
    await setTenantStatus(shops[4]!.tenant.businessId, "closed");

    const hits = await search({ q: word });
    expect(hits).toEqual([{ tenantKey: shops[0]!.tenant.tenantKey, slug: shops[0]!.tenant.slug, name: `${word} live`, description: null, city: null, industryType: "retail" }]);
    // Internal ids never leave through the public directory.
    expect(Object.keys(hits[0]!)).not.toContain("businessId");

    await setTenantStatus(shops[2]!.tenant.businessId, "active");
    expect((await search({ q: word })).map((h) => h.name)).toEqual([`${word} live`, `${word} suspended`]);
  });

  test("anyone may search: no token, and a garbage token is ignored rather than refused", async () => {
    const { api, tenant } = await shop();
    const word = unique("chai");
    await api.directory.update.mutate({ displayName: `${word} stall`, published: true });
    expect((await client().directory.search.query({ q: word })).map((h) => h.tenantKey)).toEqual([tenant.tenantKey]);
    expect((await client({ token: "not-a-jwt" }).directory.search.query({ q: word })).map((h) => h.tenantKey)).toEqual([tenant.tenantKey]);
  });

  test("q matches name or description, city and industry filter; LIKE wildcards in q are plain characters", async () => {
    const word = unique("dosa");
    const [a, b] = [await shop(), await shop()];
    await a.api.directory.update.mutate({ displayName: `${word} Corner`, description: "Crispy 100% rice", city: "Pune", published: true });
    await b.api.directory.update.mutate({ displayName: `Madras ${word}`, description: "Filter coffee", city: "Chennai", published: true });

    expect((await search({ q: word.toUpperCase() })).map((h) => h.tenantKey).sort()).toEqual([a.tenant.tenantKey, b.tenant.tenantKey].sort());
    expect((await search({ q: word, city: "chennai" })).map((h) => h.tenantKey)).toEqual([b.tenant.tenantKey]);
    expect(await search({ q: word, industryType: "salon" })).toEqual([]);
    expect((await search({ q: word, industryType: "retail", limit: 1 }))).toHaveLength(1);
    // "%" and "_" would match anything if passed to LIKE unescaped.
    expect((await search({ q: "100%", city: "Pune" })).map((h) => h.tenantKey)).toEqual([a.tenant.tenantKey]);
    expect(await search({ q: `${word}%Corner` })).toEqual([]);
    expect(await search({ q: `${word.slice(0, -1)}_` })).toEqual([]);
  });

  test("bad input is BAD_REQUEST, not a 500", async () => {
    for (const input of [{ limit: 0 }, { limit: 101 }, { q: "x".repeat(101) }, { industryType: "spaceship" }, { q: "a\u0000b" }, { city: "\u0000" }]) {
      await expectCode(search(input as never), "BAD_REQUEST");
    }
  });
});

describe("directory.update", () => {
  test("the owner edits the listing; unpublishing takes it out of search; each update is audited", async () => {
    const { owner, tenant, api } = await shop();
    const word = unique("paan");
    const listing = await api.directory.update.mutate({ displayName: `${word} House`, description: "Sweet paan", city: "Lucknow", published: true });
    expect(listing).toMatchObject({ businessId: tenant.businessId, displayName: `${word} House`, city: "Lucknow", published: true });
    expect(await search({ q: word })).toHaveLength(1);

    await api.directory.update.mutate({ published: false });
    expect(await search({ q: word })).toEqual([]);
    const audits = await auditRows(tenant, { action: "directory.update" });
    expect(audits.map((r) => [r.actorUserId, r.entityType, r.entityId])).toEqual([
      [owner.userId, "directory", String(tenant.businessId)],
      [owner.userId, "directory", String(tenant.businessId)],
    ]);
  });

  test("an empty update, a too-short name or NUL characters are BAD_REQUEST and change nothing", async () => {
    const { tenant, api } = await shop();
    const word = unique("lassi");
    await api.directory.update.mutate({ displayName: `${word} Bar`, published: true });
    for (const input of [{}, { displayName: "x" }, { description: "a\u0000" }, { published: "yes" }]) {
      await expectCode(api.directory.update.mutate(input as never), "BAD_REQUEST");
    }
    expect((await search({ q: word })).map((h) => h.name)).toEqual([`${word} Bar`]);
    expect(await auditRows(tenant, { action: "directory.update" })).toHaveLength(1);
  });

  test("a customer cannot touch another business's listing: without membership it is FORBIDDEN", async () => {
    const { tenant } = await shop();
    const outsider = await quickUser();
    await expectCode(client({ token: outsider.token, tenant: tenant.tenantKey }).directory.update.mutate({ published: true }), "FORBIDDEN");
  });
});
