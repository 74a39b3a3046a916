/**
 * The object store under file storage: unstorage's fs driver (under STORAGE_PATH)
 * or its s3 driver, plus what unstorage does not do safely here:
 *
 * - listing a prefix: the fs driver's getKeys walks its whole base directory and
 *   the s3 driver's ignores the prefix and stops at the first 1,000 keys of the
 *   bucket (no continuation), so a tenant's keys are listed here directly
 *   (readdir under the prefix; S3 ListObjectsV2 with prefix and continuation);
 * - storing a large local file (an archive) without reading it into memory;
 * - S3 writes and deletes: the s3 driver treats a 404 answer to a PUT (a missing
 *   bucket) as success, so an upload would "succeed" with nothing stored, and it
 *   never retries a DELETE that S3 answers 500/503 (S3 asks clients to retry those).
 *   PUT and DELETE are signed here (aws4fetch, which the driver uses too) and their
 *   answers checked; reads go through the driver.
 *
 * Nothing here clears anything: prefixStorage(...).clear() deletes nothing on a
 * single root driver and the fs driver's clear() wipes the whole base directory.
 * Deletion is key by key, and callers check that nothing is left.
 *
 * Keys use "/" (unstorage treats ":" and "/" alike); only src/tenancy/files.ts
 * builds them. Only tenancy code may import this file.
 */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, rename, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { AwsClient } from "aws4fetch";
import { createStorage, type Storage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import s3Driver from "unstorage/drivers/s3";

export type BlobStoreConfig =
  | { driver: "fs"; path: string }
  | { driver: "s3"; bucket: string; region: string; endpoint: string; accessKeyId: string; secretAccessKey: string };

export interface BlobInfo {
  key: string;
  size: number;
  modifiedAt: Date;
}

export interface BlobStore {
  readonly driver: "fs" | "s3";
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  remove(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` (which ends in "/"). */
  list(prefix: string): Promise<BlobInfo[]>;
  /** The names one level below `prefix`: `tenants/` → ["1", "42"]. */
  children(prefix: string): Promise<string[]>;
  /** Stores the local file at `path` under `key`, streaming it. */
  putFile(key: string, path: string): Promise<void>;
  dispose(): Promise<void>;
}

const toBytes = (value: unknown): Uint8Array | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError("the storage driver returned something that is not bytes");
};

function fsBlobStore(path: string): BlobStore {
  const base = resolve(path);
  const storage = createStorage({ driver: fsDriver({ base }) });
  const fullPath = (key: string) => {
    const full = resolve(base, key);
    // Keys are validated where they are built; this is the last line, not the first.
    if (!full.startsWith(base + sep)) throw new Error("storage key escapes the storage directory");
    return full;
  };
  async function walk(dir: string, keyPrefix: string, out: BlobInfo[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT" || e.code === "ENOTDIR") return [];
      throw e;
    });
    for (const entry of entries) {
      const key = `${keyPrefix}${entry.name}`;
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${key}/`, out);
      else if (entry.isFile()) {
        const info = await stat(join(dir, entry.name)).catch(() => null);
        if (info) out.push({ key, size: info.size, modifiedAt: info.mtime });
      }
    }
  }
  return {
    driver: "fs",
    put: (key, bytes) => storage.setItemRaw(key, bytes),
    get: async (key) => toBytes(await storage.getItemRaw(key)),
    remove: (key) => storage.removeItem(key),
    async list(prefix) {
      const out: BlobInfo[] = [];
      await walk(fullPath(prefix), prefix, out);
      return out;
    },
    async children(prefix) {
      const entries = await readdir(fullPath(prefix), { withFileTypes: true }).catch(() => []);
      return entries.filter((e) => e.isDirectory()).map((e) => e.name);
    },
    async putFile(key, path) {
      const target = fullPath(key);
      await mkdir(dirname(target), { recursive: true });
      // Same file system: a rename is instant; otherwise copy (the caller removes its temporary file).
      await rename(path, target).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== "EXDEV") throw e;
        await copyFile(path, target);
      });
    },
    dispose: () => storage.dispose(),
  };
}

const xmlText = (value: string) =>
  value.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name]!);
const tag = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];

function s3BlobStore(config: Extract<BlobStoreConfig, { driver: "s3" }>): BlobStore {
  const storage: Storage = createStorage({ driver: s3Driver(config) });
  // retries: 429 and 5xx answers are retried with backoff (S3 asks clients to), three times rather than aws4fetch's ten.
  const aws = new AwsClient({ accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, region: config.region, service: "s3", retries: 3 });
  const bucketUrl = `${config.endpoint.replace(/\/$/, "")}/${config.bucket}`;
  const objectUrl = (key: string) => `${bucketUrl}/${key.split("/").map(encodeURIComponent).join("/")}`;

  /** ListObjectsV2, page by page; the error names the status, never the credentials. */
  async function listPages(params: Record<string, string>, onPage: (xml: string) => void): Promise<void> {
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ "list-type": "2", ...params, ...(token ? { "continuation-token": token } : {}) });
      const response = await aws.fetch(`${bucketUrl}?${query}`);
      const xml = await response.text();
      if (!response.ok) throw new Error(`listing the storage bucket failed: HTTP ${response.status}`);
      onPage(xml);
      token = tag(xml, "IsTruncated") === "true" ? tag(xml, "NextContinuationToken") : undefined;
    } while (token);
  }

  /** One signed request, its answer checked (aws4fetch retries 429 and 5xx answers itself). */
  async function send(method: "PUT" | "DELETE", key: string, init: { body?: Uint8Array | Blob; sha256?: string } = {}): Promise<void> {
    const response = await aws.fetch(objectUrl(key), { method, body: init.body, headers: init.sha256 ? { "x-amz-content-sha256": init.sha256 } : {} });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${method === "PUT" ? "storing" : "deleting"} an object failed: HTTP ${response.status}`);
  }

  return {
    driver: "s3",
    put: (key, bytes) => send("PUT", key, { body: bytes }),
    get: async (key) => toBytes(await storage.getItemRaw(key)),
    remove: (key) => send("DELETE", key),
    async list(prefix) {
      const out: BlobInfo[] = [];
      await listPages({ prefix }, (xml) => {
        for (const [, body] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
          out.push({ key: xmlText(tag(body!, "Key") ?? ""), size: Number(tag(body!, "Size") ?? 0), modifiedAt: new Date(tag(body!, "LastModified") ?? 0) });
        }
      });
      return out;
    },
    async children(prefix) {
      const out: string[] = [];
      await listPages({ prefix, delimiter: "/" }, (xml) => {
        for (const [, body] of xml.matchAll(/<CommonPrefixes>([\s\S]*?)<\/CommonPrefixes>/g)) {
          const child = xmlText(tag(body!, "Prefix") ?? "").slice(prefix.length).replace(/\/$/, "");
          if (child) out.push(child);
        }
      });
      return out;
    },
    async putFile(key, path) {
      // aws4fetch signs a streamed body only with its hash given up front: hash the file first, streaming too.
      const hasher = new Bun.CryptoHasher("sha256");
      for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer);
      await send("PUT", key, { body: Bun.file(path), sha256: hasher.digest("hex") });
    },
    dispose: () => storage.dispose(),
  };
}

export function createBlobStore(config: BlobStoreConfig): BlobStore {
  return config.driver === "fs" ? fsBlobStore(config.path) : s3BlobStore(config);
}
