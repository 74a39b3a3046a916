/**
 * Meilisearch goes down mid-test and comes back. This file runs its own
 * Meilisearch (the bundled binary, its own port and data directory) behind an
 * app and a job worker of its own, so the run's shared server keeps serving the
 * other tests. While it is down: search answers SERVICE_UNAVAILABLE with a
 * clear message, /health says search is down and the rest is up, writes still
 * commit, and their indexing jobs fail and are retried. Once it is back, the
 * index catches up with every write; nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { createApp } from "../../src/app.ts";
import { ROLE_KINDS, roleOf, type RoleNames } from "../../src/db/roles.ts";
import { env } from "../../src/env.ts";
import { startMeilisearch, type MeilisearchHandle } from "../../src/infra/meilisearch.ts";
import { freePort } from "../../src/infra/processes.ts";
import type { Worker } from "../../src/jobs/worker.ts";
import { createContextStatements } from "../../src/tenancy/db-context.ts";
import { createScopes } from "../../src/tenancy/scopes.ts";
import { createSearch } from "../../src/tenancy/search.ts";
import { tokenKeyUid } from "../../src/tenancy/search-token.ts";
import type { AppRouter } from "../../src/trpc/router.ts";
import { expectCode } from "../setup/client.ts";
import { shop } from "../setup/fixtures.ts";
import { contextKey, deps, pools, urls } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";
import { drainTenantQueue, jobsOf } from "../jobs/support/jobs.ts";
import { meili as meiliRequest, testWorker, type Doc } from "./support.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(90_000);

const dataDir = mkdtempSync(join(tmpdir(), "desibazaar-search-outage-"));
const port = freePort();
const masterKey = recordSecret(`outage-${crypto.randomUUID()}`);
const prefix = `${env.MEILI_INDEX_PREFIX}-outage`;
let server: MeilisearchHandle;
let worker: Worker;

const search = createSearch({ url: `http://127.0.0.1:${port}`, masterKey, indexPrefix: prefix });
const roles = Object.fromEntries(ROLE_KINDS.map((kind) => [kind, roleOf(urls[kind])])) as RoleNames;
const scopes = createScopes(pools, { contexts: createContextStatements({ key: contextKey, roles }), files: deps.files, cache: deps.cache, jobs: deps.jobs, search });
const app = createApp({ ...deps, scopes, checks: { ...deps.checks, search: () => search.healthy() } });

const apiFor = (token: string, tenant: string) =>
  createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: "http://api.desibazaar.test/trpc",
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${token}`, "x-tenant-id": tenant }),
        fetch: (async (url: string, init?: RequestInit) => app.fetch(new Request(url, init))) as never,
      }),
    ],
  });

const startServer = () => startMeilisearch({ dataDir, port, masterKey });
const productsOf = async (businessId: number) => {
  const { status, body } = await meiliRequest<{ results: Doc[] }>("POST", `/indexes/${search.names.products}/documents/fetch`, { filter: `tenant_id = ${businessId}` }, { key: masterKey, url: `http://127.0.0.1:${port}` });
  return status === 200 ? new Map(body.results.map((d) => [d.id, d])) : new Map<number, Doc>();
};

beforeAll(async () => {
  // Jobs other test files left queued belong to the shared server: run them there first, not on this one.
  const shared = await testWorker();
  await drainTenantQueue(60_000);
  await shared.stop();

  server = await startServer();
  await search.setup();
  const key = await meiliRequest<{ key: string }>("GET", `/keys/${tokenKeyUid(prefix)}`, undefined, { key: masterKey, url: server.url });
  recordSecret(key.body.key);
  worker = await testWorker({ scopes });
});
afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Meilisearch stops and comes back", () => {
  test("search SERVICE_UNAVAILABLE, health down, writes succeed and retry their indexing, then the index catches up", async () => {
    const { owner, tenant } = await shop();
    const api = apiFor(owner.token, tenant.tenantKey);
    const before = await api.products.create.mutate({ name: "Before the outage", priceCents: 100 });
    await waitFor("the first product indexed", async () => (await productsOf(tenant.businessId)).has(before.id));
    expect((await api.search.products.query({ q: "outage" })).hits.map((h) => h.id)).toEqual([before.id]);

    await server.stop();

    const refused = await expectCode(api.search.products.query({ q: "outage" }), "SERVICE_UNAVAILABLE");
    expect(refused.message).toBe("Search is unavailable right now; please try again shortly (everything else keeps working)");
    await expectCode(api.search.token.query(), "SERVICE_UNAVAILABLE");
    const health = await app.request("/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", db: "up", search: "down" });

    // Everything else keeps working: writes commit, reads answer.
    const during = await api.products.create.mutate({ name: "Written during the outage", priceCents: 200 });
    await api.products.update.mutate({ id: before.id, name: "Renamed during the outage" });
    expect((await api.products.list.query({})).items.map((p) => p.id).sort()).toEqual([before.id, during.id].sort());

    // The indexing job of the new product fails and is retried, not dropped.
    await waitFor("a failed indexing attempt being retried", async () =>
      (await jobsOf(tenant.businessId)).some((j) => j.data.type === "search.index-product" && j.data.data.id === during.id && j.retry_count >= 1),
    );

    server = await startServer();
    const docs = await waitFor(
      "the index to catch up",
      async () => {
        const d = await productsOf(tenant.businessId);
        return d.has(during.id) && d.get(before.id)?.name === "Renamed during the outage" && d;
      },
      60_000,
    );
    expect([...docs.keys()].sort()).toEqual([before.id, during.id].sort());
    expect((await api.search.products.query({ q: "outage", sort: ["price_cents:asc"] })).hits.map((h) => h.name)).toEqual(["Renamed during the outage", "Written during the outage"]);
    expect(await (await app.request("/health")).json()).toMatchObject({ search: "up" });
  });
});
