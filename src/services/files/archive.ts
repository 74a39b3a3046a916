/**
 * archiveTenantFiles: every file of a business in one tar.gz under archives/,
 * before its files are deleted (purge). Layout:
 *
 *   manifest.json                      names, categories, types, sizes, sha256 of every file
 *   files/{category}/{id}-{stored name} one entry per file row
 *   unlisted/{n}-{key tail}            blobs under the business's prefix that no row names
 *
 * Built as a stream (tar-stream → gzip → a temporary file), one blob in memory at
 * a time, then stored with one streamed PUT (or a rename on fs): a business with
 * thousands of files costs disk for one archive, not memory. Runs on the
 * super-admin role, which sees every business's rows.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { and, asc, count, eq, gt } from "drizzle-orm";
import tar from "tar-stream";
import { files } from "../../db/schema/index.ts";
import type { ListedBlob } from "../../tenancy/files.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { refOf, type FileRow } from "./find.ts";

export interface ArchiveProgress {
  done: number;
  total: number;
  bytes: number;
}

export interface ArchiveOptions {
  onProgress?: (progress: ArchiveProgress) => void;
  now?: Date;
}

export interface ManifestEntry {
  path: string;
  id: number | null;
  name: string;
  category: string | null;
  contentType: string | null;
  size: number;
  /** Of the bytes in the archive (null when the blob was missing). */
  sha256: string | null;
  /** False when the archived bytes differ from the checksum taken at upload. */
  checksumMatchesUpload: boolean | null;
  missing: boolean;
  uploadedAt: string | null;
}

export interface ArchiveResult {
  /** The archive's storage key; null when the business had no files at all. */
  key: string | null;
  files: number;
  bytes: number;
  missing: number;
  unlisted: number;
}

const PAGE = 200;

/** A row no upload made (its key cannot be built: refused by storageKey) has no blob to archive. */
async function readOrNull(read: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}
const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

function entry(pack: tar.Pack, name: string, bytes: Uint8Array, mtime: Date): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: bytes.byteLength, mtime, mode: 0o644 }, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

async function* pagesOf(scope: AdminScope, businessId: number): AsyncGenerator<FileRow[]> {
  for (let after = 0; ; ) {
    const rows = await scope.db
      .select()
      .from(files)
      .where(and(eq(files.businessId, businessId), gt(files.id, after)))
      .orderBy(asc(files.id))
      .limit(PAGE);
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

export async function archiveTenantFiles(scope: AdminScope, businessId: number, options: ArchiveOptions = {}): Promise<ArchiveResult> {
  const now = options.now ?? new Date();
  const handle = scope.files.forTenant(businessId);
  const [{ n: rowCount } = { n: 0 }] = await scope.db.select({ n: count() }).from(files).where(eq(files.businessId, businessId));
  const blobs = await handle.list();
  const named = new Set<string>();
  if (rowCount === 0 && blobs.length === 0) return { key: null, files: 0, bytes: 0, missing: 0, unlisted: 0 };

  const dir = await mkdtemp(join(tmpdir(), "desibazaar-archive-"));
  try {
    const path = join(dir, "archive.tar.gz");
    const pack = tar.pack();
    const written = pipeline(pack, createGzip({ level: 6 }), createWriteStream(path));
    const manifest: ManifestEntry[] = [];
    const progress = { done: 0, total: rowCount, bytes: 0 }; // unlisted blobs are added once known
    try {
      for await (const rows of pagesOf(scope, businessId)) {
        for (const row of rows) {
          const ref = refOf(row);
          named.add(`${ref.category}/${ref.objectId}-${ref.storedName}`);
          const bytes = await readOrNull(() => handle.read(ref));
          const path = `files/${row.category}/${row.id}-${row.storedName}`;
          if (bytes) await entry(pack, path, bytes, row.createdAt);
          const digest = bytes ? sha256(bytes) : null;
          manifest.push({
            path: bytes ? path : "",
            id: row.id,
            name: row.name,
            category: row.category,
            contentType: row.contentType,
            size: bytes ? bytes.byteLength : row.sizeBytes,
            sha256: digest,
            checksumMatchesUpload: digest ? digest === row.sha256 : null,
            missing: !bytes,
            uploadedAt: row.createdAt.toISOString(),
          });
          progress.done++;
          progress.bytes += bytes?.byteLength ?? 0;
          options.onProgress?.({ ...progress });
        }
      }
      const unlisted = blobs.filter((b) => !named.has(b.key.slice(`tenants/${businessId}/`.length)));
      progress.total = progress.done + unlisted.length;
      for (const [i, blob] of unlisted.entries()) await archiveUnlisted(pack, manifest, blob, i, handle.read.bind(handle), progress, options);
      const manifestBytes = new TextEncoder().encode(JSON.stringify({ version: 1, businessId, createdAt: now.toISOString(), files: manifest }, null, 2));
      await entry(pack, "manifest.json", manifestBytes, now);
      pack.finalize();
      await written;
    } catch (error) {
      pack.destroy(error as Error);
      await written.catch(() => {});
      throw error;
    }
    const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const key = await scope.files.putArchive(`tenant-${businessId}-${stamp}-${crypto.randomUUID().slice(0, 8)}.tar.gz`, path);
    const listed = manifest.filter((m) => !m.missing);
    return {
      key,
      files: listed.length,
      bytes: progress.bytes,
      missing: manifest.filter((m) => m.missing).length,
      unlisted: manifest.filter((m) => m.id === null).length,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A blob no row names (a crashed upload, a deletion whose commit failed): kept too, nothing is deleted unarchived. */
async function archiveUnlisted(
  pack: tar.Pack,
  manifest: ManifestEntry[],
  blob: ListedBlob,
  index: number,
  read: (ref: NonNullable<ListedBlob["ref"]>) => Promise<Uint8Array | null>,
  progress: ArchiveProgress,
  options: ArchiveOptions,
): Promise<void> {
  // Only blobs with a well-formed key can be read through the handle; others are listed, not read.
  const bytes = blob.ref ? await read(blob.ref) : null;
  const tail = blob.key.split("/").pop()!.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80);
  const path = `unlisted/${index + 1}-${tail}`;
  if (bytes) await entry(pack, path, bytes, blob.modifiedAt);
  manifest.push({
    path: bytes ? path : "",
    id: null,
    name: tail,
    category: blob.ref?.category ?? null,
    contentType: null,
    size: bytes ? bytes.byteLength : blob.size,
    sha256: bytes ? sha256(bytes) : null,
    checksumMatchesUpload: null,
    missing: !bytes,
    uploadedAt: blob.createdAt.toISOString(),
  });
  progress.done++;
  progress.bytes += bytes?.byteLength ?? 0;
  options.onProgress?.({ ...progress });
}
