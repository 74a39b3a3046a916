/**
 * The index follows the database by outbox: each write queues its indexing job
 * in its own transaction, a worker (the in-process one here) runs it. Created,
 * changed and deleted rows show in Meilisearch (read over HTTP with the master
 * key); a write that rolls back leaves neither job nor document; a purge takes
 * every document of the business and none of another's; a rebuild (`bun run
 * tenant reindex`) puts back what is missing and drops what should not be there.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { deleteTenant } from "../../src/services/lifecycle/delete.ts";
import { purgeTenant } from "../../src/services/lifecycle/purge.ts";
import { createProduct } from "../../src/services/products/create.ts";
import { CreateProductInput } from "../../src/services/products/schemas.ts";
import { updateProduct } from "../../src/services/products/update.ts";
import { tenantCli } from "../setup/cli.ts";
import { makeProduct, makeService, shop, unique } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { jobsOf } from "../jobs/support/jobs.ts";
import { documents, documentsOf, INDEXES, meili, untilDocuments, withSearchWorker } from "./support.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(60_000);

withSearchWorker();

const operator = { actor: { userId: null, via: "cli" as const } };

describe("writes reach the index through their jobs", () => {
  test("create, update, delete: the document appears, changes, and goes; the row's other business sees nothing of it", async () => {
    const { api, tenant } = await shop();
    const other = await shop();
    const created = await api.products.create.mutate({ name: `Kesar ${unique()}`, description: "Saffron threads", priceCents: 1250 });
    const indexed = await untilDocuments("products", tenant.businessId, "the new product indexed", (d) => d.has(created.id));
    expect(indexed.get(created.id)).toMatchObject({ id: created.id, tenant_id: tenant.businessId, name: created.name, description: "Saffron threads", price_cents: 1250, currency: "INR", status: "active" });

    await api.products.update.mutate({ id: created.id, name: "Kashmiri kesar", priceCents: 1500, status: "draft" });
    await untilDocuments("products", tenant.businessId, "the change indexed", (d) => d.get(created.id)?.name === "Kashmiri kesar");
    expect((await documentsOf("products", tenant.businessId)).get(created.id)).toMatchObject({ price_cents: 1500, status: "draft" });
    expect((await api.search.products.query({ q: "kashmiri" })).hits.map((h) => h.id)).toEqual([created.id]);

    await api.products.delete.mutate({ id: created.id });
    await untilDocuments("products", tenant.businessId, "the deleted product gone", (d) => !d.has(created.id));
    expect((await other.api.search.products.query({ q: "" })).hits).toEqual([]);
  });

  test("services.create indexes the service", async () => {
    const { api, tenant } = await shop();
    const service = await api.services.create.mutate({ name: `Threading ${unique()}`, durationMinutes: 15, priceCents: 300 });
    const docs = await untilDocuments("services", tenant.businessId, "the service indexed", (d) => d.has(service.id));
    expect(docs.get(service.id)).toMatchObject({ name: service.name, duration_minutes: 15, price_cents: 300, active: true, tenant_id: tenant.businessId });
  });

  test("two quick updates of one product: the index ends with the last one", async () => {
    const { api, tenant } = await shop();
    const product = await api.products.create.mutate({ name: "Version 0", priceCents: 1 });
    await Promise.all([1, 2, 3].map((n) => api.products.update.mutate({ id: product.id, priceCents: n })));
    const final = (await api.products.get.query({ id: product.id })).priceCents;
    await untilDocuments("products", tenant.businessId, "the last price indexed", (d) => d.get(product.id)?.price_cents === final);
    // And it stays there once every queued job of the business has run.
    await waitFor("the business's jobs to finish", async () => (await jobsOf(tenant.businessId)).every((j) => j.state === "completed"));
    expect((await documentsOf("products", tenant.businessId)).get(product.id)?.price_cents).toBe(final);
  });
});

describe("a write that rolls back leaves the index as it was", () => {
  test("a create and an update that roll back queue no job and change no document; a committed write after them is indexed", async () => {
    const { owner, tenant } = await shop();
    const kept = await makeProduct(owner, tenant, { name: "Kept name" });
    await untilDocuments("products", tenant.businessId, "the kept product indexed", (d) => d.has(kept.id));
    let ghostId = 0;
    const rollback = new Error("the request failed after writing");
    for (const write of [
      async (s: Parameters<Parameters<typeof scopes.asTenant>[1]>[0]) => {
        ghostId = (await createProduct(s, CreateProductInput.parse({ name: "Ghost", priceCents: 5 }))).id;
      },
      (s: Parameters<Parameters<typeof scopes.asTenant>[1]>[0]) => updateProduct(s, { id: kept.id, name: "Never committed" }),
    ]) {
      await expect(scopes.asTenant(tenant.businessId, async (s) => (await write(s), Promise.reject(rollback)), { userId: owner.userId })).rejects.toBe(rollback);
    }
    // A committed write queued after both: once it is indexed, anything queued before it has run too.
    const later = await makeProduct(owner, tenant, { name: "Committed later" });
    const docs = await untilDocuments("products", tenant.businessId, "the later product indexed", (d) => d.has(later.id));
    expect(ghostId).toBeGreaterThan(0);
    expect(docs.has(ghostId)).toBe(false);
    expect(docs.get(kept.id)?.name).toBe("Kept name");
    expect((await jobsOf(tenant.businessId)).filter((j) => j.data.type === "search.index-product").map((j) => j.data.data.id).sort()).toEqual([kept.id, later.id].sort());
  });
});

describe("purge and rebuild", () => {
  test("purge removes every document of the business (products, services, its listing) and none of another's", async () => {
    const [doomed, bystander] = await Promise.all([shop(), shop()]);
    for (const s of [doomed, bystander]) {
      await makeProduct(s.owner, s.tenant);
      await makeProduct(s.owner, s.tenant);
      await makeService(s.owner, s.tenant);
      await s.api.directory.update.mutate({ displayName: `Listing ${unique()}`, published: true });
    }
    const listed = (id: number) => documents("directory", []).then((all) => all.some((d) => d.id === id));
    for (const s of [doomed, bystander]) {
      await untilDocuments("products", s.tenant.businessId, "products indexed", (d) => d.size === 2);
      await untilDocuments("services", s.tenant.businessId, "service indexed", (d) => d.size === 1);
      await waitFor("listing indexed", () => listed(s.tenant.businessId));
    }

    await scopes.asSuperAdmin((s) => deleteTenant(s, doomed.tenant.tenantKey, operator));
    await scopes.asSuperAdmin((s) => purgeTenant(s, doomed.tenant.tenantKey, { ...operator, force: true }));
    await untilDocuments("products", doomed.tenant.businessId, "the purged business's products gone", (d) => d.size === 0);
    await untilDocuments("services", doomed.tenant.businessId, "its services gone", (d) => d.size === 0);
    await waitFor("its listing gone", async () => !(await listed(doomed.tenant.businessId)));

    expect((await documentsOf("products", bystander.tenant.businessId)).size).toBe(2);
    expect((await documentsOf("services", bystander.tenant.businessId)).size).toBe(1);
    expect(await listed(bystander.tenant.businessId)).toBe(true);
  });

  test("bun run tenant reindex: prints progress, restores lost documents, removes stale ones, leaves other businesses alone", async () => {
    const [a, b] = await Promise.all([shop(), shop()]);
    const products = [await makeProduct(a.owner, a.tenant), await makeProduct(a.owner, a.tenant)];
    const service = await makeService(a.owner, a.tenant);
    await makeProduct(b.owner, b.tenant);
    await untilDocuments("products", a.tenant.businessId, "a's products indexed", (d) => d.size === 2);
    await untilDocuments("products", b.tenant.businessId, "b's product indexed", (d) => d.size === 1);
    await untilDocuments("services", a.tenant.businessId, "a's service indexed", (d) => d.size === 1);

    // Damage a's documents: one lost, one left behind for a product that does not exist.
    const lose = await meili("POST", `/indexes/${INDEXES.products}/documents/delete-batch`, [`${a.tenant.businessId}-${products[0]!.id}`]);
    const stale = await meili("POST", `/indexes/${INDEXES.products}/documents`, [{ uid: `${a.tenant.businessId}-999999`, id: 999_999, tenant_id: a.tenant.businessId, name: "Ghost", indexed_at: 1 }]);
    for (const task of [lose, stale]) await waitFor("damage applied", async () => (await meili<{ status: string }>("GET", `/tasks/${task.body.taskUid}`)).body.status === "succeeded");

    const { stdout, stderr, code } = await tenantCli("reindex", a.tenant.slug);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(`reindexing ${a.tenant.slug}`);
    expect(stdout).toContain("products: 2 indexed");
    expect(stdout).toContain("services: 1 indexed");

    const docs = await documentsOf("products", a.tenant.businessId);
    expect([...docs.keys()].sort()).toEqual(products.map((p) => p.id).sort());
    expect((await documentsOf("services", a.tenant.businessId)).has(service.id)).toBe(true);
    expect((await documentsOf("products", b.tenant.businessId)).size).toBe(1);
  });

  test("reindex of an unknown business fails with exit code 1 and says so", async () => {
    const { stderr, code } = await tenantCli("reindex", unique("no-such-shop-"));
    expect(code).toBe(1);
    expect(stderr).toContain("Business not found");
  });
});
