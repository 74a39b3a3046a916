/**
 * directory.search is public: published listings of active businesses only,
 * whoever asks, found by Meilisearch (typo-tolerant over name, industry, city
 * and description) and checked against PostgreSQL before they are shown.
 * directory.update is how the owner edits and publishes the listing; its
 * indexing job (run here by a worker) brings the directory index along.
 * (directory.search is a public procedure, so the security matrix, which is
 * about credentials, does not apply; its public behaviour is tested here.)
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { resumeTenant } from "../../src/services/lifecycle/resume.ts";
import { suspendTenant } from "../../src/services/lifecycle/suspend.ts";
import { client, expectCode } from "../setup/client.ts";
import { auditRows, quickUser, setTenantStatus, shop, unique } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { documents, withSearchWorker } from "../search/support.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(60_000);

withSearchWorker();

type SearchInput = Parameters<ReturnType<typeof client>["directory"]["search"]["query"]>[0];
const search = (input: SearchInput) => client().directory.search.query(input);
const names = async (input: SearchInput) => (await search(input)).map((h) => h.name).sort();
/** Waits until the search answers `expected` (names, sorted): the listing's indexing job has run. */
const until = (input: SearchInput, expected: string[]) =>
  waitFor(`directory.search ${JSON.stringify(input)} → ${expected.join(", ")}`, async () => JSON.stringify(await names(input)) === JSON.stringify([...expected].sort()));
const inIndex = async (businessId: number) => (await documents("directory", [])).some((d) => d.id === businessId);

describe("directory.search", () => {
  test("published listings of active businesses only: not unpublished, suspended, pending or closed ones", async () => {
    const word = unique("kulfi");
    const labels = ["live", "hidden", "suspended", "pending", "closed"];
    const shops = await Promise.all(labels.map(() => shop()));
    for (const [i, s] of shops.entries()) await s.api.directory.update.mutate({ displayName: `${word} ${labels[i]}`, published: i !== 1 });
    await until({ q: word }, [`${word} live`, `${word} suspended`, `${word} pending`, `${word} closed`]);

    // Status changes made behind the index's back (no job): PostgreSQL still decides what is shown.
    await setTenantStatus(shops[2]!.tenant.businessId, "suspended");
    await setTenantStatus(shops[3]!.tenant.businessId, "pending");
    await setTenantStatus(shops[4]!.tenant.businessId, "closed");
    const hits = await search({ q: word });
    expect(hits).toEqual([{ tenantKey: shops[0]!.tenant.tenantKey, slug: shops[0]!.tenant.slug, name: `${word} live`, description: null, city: null, industryType: "retail" }]);
    // Internal ids never leave through the public directory.
    expect(Object.keys(hits[0]!)).not.toContain("businessId");

    await setTenantStatus(shops[2]!.tenant.businessId, "active");
    expect(await names({ q: word })).toEqual([`${word} live`, `${word} suspended`]);
  });

  test("the index itself holds active businesses only: suspending takes the listing out, resuming puts it back", async () => {
    const { api, tenant } = await shop();
    await api.directory.update.mutate({ displayName: `Paan ${unique()}`, published: true });
    await waitFor("the listing indexed", () => inIndex(tenant.businessId));
    const operator = { actor: { userId: null, via: "cli" as const }, reason: "test" };
    await scopes.asSuperAdmin((s) => suspendTenant(s, tenant.tenantKey, operator));
    await waitFor("the suspended listing removed from the index", async () => !(await inIndex(tenant.businessId)));
    await scopes.asSuperAdmin((s) => resumeTenant(s, tenant.tenantKey, operator));
    await waitFor("the listing back in the index", () => inIndex(tenant.businessId));
  });

  test("anyone may search: no token, and a garbage token is ignored rather than refused", async () => {
    const { api, tenant } = await shop();
    const word = unique("chai");
    await api.directory.update.mutate({ displayName: `${word} stall`, published: true });
    await until({ q: word }, [`${word} stall`]);
    expect((await client().directory.search.query({ q: word })).map((h) => h.tenantKey)).toEqual([tenant.tenantKey]);
    expect((await client({ token: "not-a-jwt" }).directory.search.query({ q: word })).map((h) => h.tenantKey)).toEqual([tenant.tenantKey]);
  });

  test("q matches name, description or city, with a typo; city and industry filter; limit", async () => {
    const word = unique("dosa");
    const [a, b] = [await shop(), await shop()];
    await a.api.directory.update.mutate({ displayName: `${word} Corner`, description: "Crispy rice crepes", city: "Pune", published: true });
    await b.api.directory.update.mutate({ displayName: `Madras ${word}`, description: "Filter coffee", city: "Chennai", published: true });
    await until({ q: word }, [`${word} Corner`, `Madras ${word}`]);

    expect((await search({ q: word.toUpperCase() })).map((h) => h.tenantKey).sort()).toEqual([a.tenant.tenantKey, b.tenant.tenantKey].sort());
    const typo = `${word.slice(0, 2)}${word[2] === "z" ? "y" : "z"}${word.slice(3)}`;
    expect((await search({ q: typo })).map((h) => h.tenantKey).sort()).toEqual([a.tenant.tenantKey, b.tenant.tenantKey].sort());
    expect((await search({ q: `${word} crepes` })).map((h) => h.tenantKey)).toEqual([a.tenant.tenantKey]);
    expect((await search({ q: word, city: "chennai" })).map((h) => h.tenantKey)).toEqual([b.tenant.tenantKey]);
    expect(await search({ q: word, industryType: "salon" })).toEqual([]);
    expect(await search({ q: word, industryType: "retail", limit: 1 })).toHaveLength(1);
  });

  test("a city or query written to break out of the filter matches nothing and is never a 500", async () => {
    const { api } = await shop();
    const word = unique("jalebi");
    await api.directory.update.mutate({ displayName: `${word} House`, city: "Agra", published: true });
    await until({ q: word }, [`${word} House`]);
    for (const city of [`Agra" OR city EXISTS OR city = "x`, `Agra\\`, `" OR industry_type EXISTS`, "(", `Agra") OR (city = "Agra`]) {
      expect(await search({ q: word, city })).toEqual([]);
    }
    // Quotes and parentheses in q are only text (a quote starts a phrase): an answer, never an error, and nothing else's.
    expect((await search({ q: `${word} " OR ) (` })).map((h) => h.name).filter((n) => n !== `${word} House`)).toEqual([]);
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
    await until({ q: word }, [`${word} House`]);

    await api.directory.update.mutate({ published: false });
    // Gone at once (PostgreSQL decides), and from the index once its job has run.
    expect(await search({ q: word })).toEqual([]);
    await waitFor("the unpublished listing removed from the index", async () => !(await inIndex(tenant.businessId)));
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
    await until({ q: word }, [`${word} Bar`]);
    expect(await auditRows(tenant, { action: "directory.update" })).toHaveLength(1);
  });

  test("a customer cannot touch another business's listing: without membership it is FORBIDDEN", async () => {
    const { tenant } = await shop();
    const outsider = await quickUser();
    await expectCode(client({ token: outsider.token, tenant: tenant.tenantKey }).directory.update.mutate({ published: true }), "FORBIDDEN");
  });
});
