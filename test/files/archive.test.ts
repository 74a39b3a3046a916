/**
 * The end of a business's files, on both drivers: archive then delete (one
 * tar.gz whose manifest lists every file with a checksum that matches, then
 * nothing left under tenants/{id}); purge doing both with progress; and the
 * orphan sweep reconciling blobs, rows and the storage counter.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { archiveTenantFiles, type ManifestEntry } from "../../src/services/files/archive.ts";
import { deleteAllTenantFiles } from "../../src/services/files/delete-all.ts";
import { sweepFiles, sweepTenantFiles } from "../../src/services/files/sweep.ts";
import { deleteTenant } from "../../src/services/lifecycle/delete.ts";
import { purgeTenant } from "../../src/services/lifecycle/purge.ts";
import { reserveStorage } from "../../src/services/subscriptions/storage.ts";
import { createBlobStore } from "../../src/tenancy/blob-store.ts";
import { shop } from "../setup/fixtures.ts";
import { BACKENDS, fileRows, keysOnDisk, owner, pdf, png, storageCounter, tenantKeysOnDisk, upload, useBackend, type Backend } from "./support.ts";

setDefaultTimeout(60_000);

const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
const operator = { actor: { userId: null, via: "cli" as const } };

/** A business with a few files in several categories; returns what was uploaded, by file id. */
async function stocked(backend: Backend) {
  const s = await shop();
  const sent = new Map<number, { name: string; category: string; bytes: Uint8Array }>();
  const uploads: [string, string, Uint8Array][] = [
    ["products", "Kesar Kulfi.png", png(3_000)],
    ["gallery", "résumé 文件.png", png(10_000)],
    ["documents", "licence.pdf", pdf()],
    ["invoices", "INV-0001.pdf", pdf()],
    ["logos", "logo.png", png(500)],
  ];
  for (const [category, name, bytes] of uploads) {
    const res = await upload(backend.app, { token: s.owner.token, tenant: s.tenant.tenantKey, category, name, type: category === "documents" || category === "invoices" ? "application/pdf" : "image/png", bytes });
    expect(res.status).toBe(201);
    sent.set(res.body.id as number, { name, category, bytes });
  }
  return { ...s, sent };
}

async function readArchive(backend: Backend, key: string) {
  const bytes = await backend.files.readArchive(key);
  expect(bytes).not.toBeNull();
  const entries = await new Bun.Archive(bytes!).files();
  const manifest = JSON.parse(await entries.get("manifest.json")!.text()) as { businessId: number; files: ManifestEntry[] };
  return { entries, manifest };
}

for (const driver of BACKENDS) {
  describe(`archive, delete, purge and sweep (${driver})`, () => {
    const backend = useBackend(driver);
    // Archives (like every blob) go when the backend's directory or bucket is removed after these tests.

    test("archive then delete: one tar.gz whose manifest lists every file with a matching checksum; then nothing left under tenants/{id}", async () => {
      const s = await stocked(backend());
      const bystander = await stocked(backend());
      const bystanderKeys = tenantKeysOnDisk(backend(), bystander.tenant.businessId);

      const progress: number[] = [];
      const archive = await backend().scopes.asSuperAdmin((a) => archiveTenantFiles(a, s.tenant.businessId, { onProgress: (p) => progress.push(p.done) }));
      expect(archive).toMatchObject({ files: s.sent.size, missing: 0, unlisted: 0 });
      expect(archive.key).toMatch(new RegExp(`^archives/tenant-${s.tenant.businessId}-\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.tar\\.gz$`));
      expect(progress).toEqual([1, 2, 3, 4, 5]);
      expect(keysOnDisk(backend()).filter((k) => k === archive.key)).toEqual([archive.key!]);

      const { entries, manifest } = await readArchive(backend(), archive.key!);
      expect(manifest.businessId).toBe(s.tenant.businessId);
      expect(manifest.files.map((f) => f.id).sort()).toEqual([...s.sent.keys()].sort());
      for (const entry of manifest.files) {
        const original = s.sent.get(entry.id!)!;
        const archived = new Uint8Array(await entries.get(entry.path)!.arrayBuffer());
        expect({ name: entry.name, category: entry.category, size: entry.size, sha256: entry.sha256, archived: sha256(archived), matches: entry.checksumMatchesUpload }).toEqual({
          name: original.name,
          category: original.category,
          size: original.bytes.byteLength,
          sha256: sha256(original.bytes),
          archived: sha256(original.bytes),
          matches: true,
        });
      }
      expect([...entries.keys()].sort()).toEqual(["manifest.json", ...manifest.files.map((f) => f.path)].sort());

      const deleted = await backend().scopes.asSuperAdmin((a) => deleteAllTenantFiles(a, s.tenant.businessId));
      expect(deleted).toEqual({ rowsDeleted: s.sent.size, blobsRemoved: s.sent.size });
      expect(tenantKeysOnDisk(backend(), s.tenant.businessId)).toEqual([]);
      expect(await backend().files.forTenant(s.tenant.businessId).list()).toEqual([]);
      expect(await fileRows(s.tenant.businessId)).toEqual([]);
      expect(await storageCounter(s.tenant.businessId)).toBe(0);
      // The other business lost nothing.
      expect(tenantKeysOnDisk(backend(), bystander.tenant.businessId)).toEqual(bystanderKeys);
      expect(await fileRows(bystander.tenant.businessId)).toHaveLength(bystander.sent.size);
    });

    test("purge archives every file, then deletes rows and blobs, reporting progress; the audit record names the archive", async () => {
      const s = await stocked(backend());
      await backend().scopes.asSuperAdmin((a) => deleteTenant(a, s.tenant.tenantKey, operator));
      const seen: { done: number; total: number }[] = [];
      const result = await backend().scopes.asSuperAdmin((a) =>
        purgeTenant(a, s.tenant.tenantKey, { ...operator, force: true, onProgress: (p) => seen.push({ done: p.done, total: p.total }) }),
      );
      expect(result.files).toMatchObject({ archived: s.sent.size, blobsRemoved: s.sent.size });
      expect(seen.at(-1)).toEqual({ done: s.sent.size, total: s.sent.size });
      expect(tenantKeysOnDisk(backend(), s.tenant.businessId)).toEqual([]);
      expect(await fileRows(s.tenant.businessId)).toEqual([]);
      const { manifest } = await readArchive(backend(), result.files.archive!);
      expect(manifest.files.map((f) => f.sha256).sort()).toEqual([...s.sent.values()].map((f) => sha256(f.bytes)).sort());
      const [audit] = await owner`select details from platform_audit_log where target_business_id = ${s.tenant.businessId} and action = 'tenant.purge'`;
      expect(audit!.details.files.archive).toBe(result.files.archive);
    });

    test("the sweep removes old orphan blobs and rows without blobs, keeps young blobs, and recounts; leftovers of a purged business go", async () => {
      const s = await stocked(backend());
      const handle = backend().files.forTenant(s.tenant.businessId);
      const rows = await fileRows(s.tenant.businessId);
      // A row whose blob vanished, an orphan from two hours ago, one from now (an upload in flight), and a skewed counter.
      const lost = rows[0]!;
      await handle.remove({ category: lost.category as "products", objectId: lost.object_id, storedName: lost.stored_name });
      const old = { category: "gallery" as const, objectId: Bun.randomUUIDv7("hex", Date.now() - 2 * 3_600_000), storedName: "crashed.png" };
      const young = { category: "gallery" as const, objectId: Bun.randomUUIDv7(), storedName: "in-flight.png" };
      await handle.put(old, png());
      await handle.put(young, png());
      await backend().scopes.asTenant(s.tenant.businessId, (t) => reserveStorage(t, 12_345));

      const first = await backend().scopes.asTenant(s.tenant.businessId, (t) => sweepTenantFiles(t, { graceMs: 3_600_000 }));
      const kept = rows.slice(1);
      expect(first).toMatchObject({ blobsRemoved: 1, rowsRemoved: 1, counterAfter: kept.reduce((n, r) => n + r.size_bytes, 0) });
      expect(await storageCounter(s.tenant.businessId)).toBe(first.counterAfter);
      expect((await fileRows(s.tenant.businessId)).map((r) => r.id)).toEqual(kept.map((r) => r.id));
      const expected = kept.map((r) => `tenants/${s.tenant.businessId}/${r.category}/${r.object_id}-${r.stored_name}`);
      const youngKey = `tenants/${s.tenant.businessId}/gallery/${young.objectId}-in-flight.png`;
      expect(tenantKeysOnDisk(backend(), s.tenant.businessId).sort()).toEqual([...expected, youngKey].sort());

      // Once past the grace period the young orphan goes too; a second sweep changes nothing else.
      const second = await backend().scopes.asTenant(s.tenant.businessId, (t) => sweepTenantFiles(t, { graceMs: 0 }));
      expect(second).toMatchObject({ blobsRemoved: 1, rowsRemoved: 0, counterBefore: first.counterAfter, counterAfter: first.counterAfter });
      expect(tenantKeysOnDisk(backend(), s.tenant.businessId).sort()).toEqual(expected.sort());

      // Storage left behind by a business that no longer exists, and a key no upload would make: removed.
      const gone = 9_000_000_000 + Math.floor(Math.random() * 1_000_000);
      await backend().files.forTenant(gone).put({ category: "products", objectId: Bun.randomUUIDv7(), storedName: "left.png" }, png());
      const raw = createBlobStore(backend().config);
      await raw.put(`tenants/${gone}/odd/not-ours.bin`, new Uint8Array([1, 2, 3]));
      await raw.dispose();
      expect(tenantKeysOnDisk(backend(), gone)).toHaveLength(2);
      const swept = await sweepFiles(backend().scopes, { businessId: gone });
      expect(swept).toMatchObject({ businesses: 1, blobsRemoved: 2, failed: [] });
      expect(tenantKeysOnDisk(backend(), gone)).toEqual([]);
    });
  });
}
