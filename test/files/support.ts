/**
 * File-storage test support. Every file test runs against both drivers: the fs
 * driver in its own temporary directory, and the S3 driver against an s3rver
 * (npm `s3rver`, a real S3-compatible server) started here on loopback with a
 * bucket of its own. Each backend gets its own app (same database, pools and
 * tokens as the harness, its own FileStorage), and removes every blob, bucket and
 * directory it made when its tests end.
 */
import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import postgres from "postgres";
import S3rver from "s3rver";
import superjson from "superjson";
import { createApp } from "../../src/app.ts";
import type { BlobStoreConfig } from "../../src/tenancy/blob-store.ts";
import { createFileStorage, type FileCategory, type FileStorage } from "../../src/tenancy/files.ts";
import type { Scopes } from "../../src/tenancy/scopes.ts";
import type { AppDeps } from "../../src/trpc/context.ts";
import type { AppRouter } from "../../src/trpc/router.ts";
import { contextKey, deps, ownerUrl, scopesFor, urls } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";
import { png } from "./sample-png.ts";

export { png };

/** The owner connection the file tests inspect the database with; shared by every file test (never ended by one of them). */
export const owner = postgres(ownerUrl, { max: 4, idle_timeout: 5, onnotice: () => {} });

export interface Backend {
  name: "fs" | "s3";
  files: FileStorage;
  scopes: Scopes;
  app: ReturnType<typeof createApp>;
  /** The directory where the bytes end up on disk (fs: the storage dir; s3: the bucket's directory in s3rver). */
  diskRoot: string;
  config: BlobStoreConfig;
  /** A second app on the same database whose storage cannot be written (for failure tests). */
  brokenApp(): ReturnType<typeof createApp>;
}

const S3_KEYS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER", region: "us-east-1" };

async function startS3(): Promise<{ config: BlobStoreConfig; diskRoot: string; endpoint: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "desibazaar-s3rver-"));
  const bucket = `files-test-${crypto.randomUUID().slice(0, 8)}`;
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const info = (await server.run()) as unknown as { port: number };
  const endpoint = `http://127.0.0.1:${info.port}`;
  const config: BlobStoreConfig = { driver: "s3", bucket, endpoint, ...S3_KEYS };
  return {
    config,
    endpoint,
    diskRoot: join(dir, bucket),
    async stop() {
      // Empty the bucket through the API, delete it, stop the server, then remove its directory.
      const store = createFileStorage({ blobs: config, signingSecret: "unused-unused-unused-unused-unused" });
      const { AwsClient } = await import("aws4fetch");
      const aws = new AwsClient({ ...S3_KEYS, service: "s3" });
      for (;;) {
        const xml = await (await aws.fetch(`${endpoint}/${bucket}?list-type=2`)).text();
        const keys = [...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!);
        if (!keys.length) break;
        for (const key of keys) await aws.fetch(`${endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`, { method: "DELETE" });
      }
      await aws.fetch(`${endpoint}/${bucket}`, { method: "DELETE" });
      await store.dispose();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function appFor(files: FileStorage) {
  const scopes = scopesFor(deps.pools, urls, contextKey, files);
  const appDeps: AppDeps = { ...deps, files, scopes };
  return { scopes, app: createApp(appDeps) };
}

const signingSecret = () => recordSecret(`file-signing-${crypto.randomUUID()}-${crypto.randomUUID()}`);

/**
 * Registers beforeAll/afterAll for one backend and returns a getter for it: call
 * at the top of a describe block.
 */
export function useBackend(name: "fs" | "s3"): () => Backend {
  let backend: Backend | undefined;
  let stop: () => Promise<void> = async () => {};
  const extra: FileStorage[] = [];
  beforeAll(async () => {
    let config: BlobStoreConfig;
    let diskRoot: string;
    let brokenConfig: BlobStoreConfig;
    if (name === "fs") {
      const dir = mkdtempSync(join(tmpdir(), "desibazaar-files-"));
      config = { driver: "fs", path: dir };
      diskRoot = dir;
      // A regular file where the storage directory should be: every write fails (root ignores permissions, not this).
      const blocker = join(dir, "..", `${dir.split("/").pop()}-blocker`);
      await Bun.write(blocker, "not a directory");
      brokenConfig = { driver: "fs", path: join(blocker, "storage") };
      stop = async () => {
        rmSync(dir, { recursive: true, force: true });
        rmSync(blocker, { force: true });
      };
    } else {
      const s3 = await startS3();
      config = s3.config;
      diskRoot = s3.diskRoot;
      brokenConfig = { ...(s3.config as Extract<BlobStoreConfig, { driver: "s3" }>), bucket: `no-such-bucket-${crypto.randomUUID().slice(0, 8)}` };
      stop = s3.stop;
    }
    const secret = signingSecret();
    const files = createFileStorage({ blobs: config, signingSecret: secret });
    const { scopes, app } = appFor(files);
    backend = {
      name,
      files,
      scopes,
      app,
      diskRoot,
      config,
      brokenApp: () => {
        const broken = createFileStorage({ blobs: brokenConfig, signingSecret: secret });
        extra.push(broken);
        return appFor(broken).app;
      },
    };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(extra.map((f) => f.dispose()));
    await backend?.files.dispose();
    await stop();
  }, 60_000);
  return () => {
    if (!backend) throw new Error("backend not started");
    return backend;
  };
}

export const BACKENDS = ["fs", "s3"] as const;

/** A typed tRPC client over `app` (in-process, through Hono and the fetch adapter). */
export function api(app: { fetch(request: Request): Response | Promise<Response> }, options: { token?: string; tenant?: string } = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: "http://api.desibazaar.test/trpc",
        transformer: superjson,
        headers: () => ({
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.tenant ? { "x-tenant-id": options.tenant } : {}),
        }),
        fetch: (async (url: string, init?: RequestInit) => app.fetch(new Request(url, init))) as never,
      }),
    ],
  });
}

export interface UploadRequest {
  token?: string;
  tenant?: string;
  category: FileCategory | string;
  name?: string;
  type?: string;
  bytes: Uint8Array;
}

/** POST /files/:category as a browser would send it (FormData). */
export async function upload(app: { fetch(request: Request): Response | Promise<Response> }, req: UploadRequest) {
  const form = new FormData();
  form.append("file", new File([req.bytes], req.name ?? "photo.png", { type: req.type ?? "image/png" }));
  const headers: Record<string, string> = {};
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  if (req.tenant) headers["x-tenant-id"] = req.tenant;
  const response = await app.fetch(new Request(`http://api.desibazaar.test/files/${req.category}`, { method: "POST", body: form, headers }));
  const body = (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } };
  return { status: response.status, body, headers: response.headers };
}

/**
 * POST /files/:category with a multipart body written by hand: the filename and
 * the part's Content-Type exactly as given (a FormData File would have its type
 * re-derived from the name by Bun, and some characters escaped).
 */
export async function rawUpload(app: { fetch(request: Request): Response | Promise<Response> }, req: UploadRequest) {
  const boundary = `----desibazaar${crypto.randomUUID()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${req.name ?? "photo.png"}"\r\nContent-Type: ${req.type ?? "image/png"}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head, "utf8"), req.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const headers: Record<string, string> = { "content-type": `multipart/form-data; boundary=${boundary}` };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  if (req.tenant) headers["x-tenant-id"] = req.tenant;
  const response = await app.fetch(new Request(`http://api.desibazaar.test/files/${req.category}`, { method: "POST", body, headers }));
  const json = (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } };
  return { status: response.status, body: json, headers: response.headers };
}

/** Downloads a root-relative signed URL through `app`. */
export async function download(app: { fetch(request: Request): Response | Promise<Response> }, url: string) {
  const response = await app.fetch(new Request(`http://api.desibazaar.test${url}`));
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

// --- file contents -----------------------------------------------------------

/** The start of a Linux executable (ELF), with padding. */
export const elf = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(248)]);

/** The start of a Windows executable (MZ + PE header). */
export function exe(): Uint8Array {
  const bytes = Buffer.alloc(512);
  bytes.write("MZ", 0, "latin1");
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write("PE\0\0", 0x80, "latin1");
  return bytes;
}

export const pdf = () => new TextEncoder().encode(`%PDF-1.4\n% ${crypto.randomUUID()}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`);

// --- what is on disk ------------------------------------------------------------

/** Every regular file under `dir`, as paths relative to it with "/". */
export function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const name of entries) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) visit(full);
      else out.push(relative(dir, full).split("\\").join("/"));
    }
  };
  visit(dir);
  return out;
}

/** The storage keys on disk (s3rver keeps each object as `<key>._S3rver_object` beside its metadata). */
export function keysOnDisk(backend: Backend): string[] {
  const files = walk(backend.diskRoot);
  if (backend.name === "fs") return files;
  return files.filter((f) => f.endsWith("._S3rver_object")).map((f) => f.slice(0, -"._S3rver_object".length));
}

/** Keys on disk under one business's prefix. */
export const tenantKeysOnDisk = (backend: Backend, businessId: number) => keysOnDisk(backend).filter((k) => k.startsWith(`tenants/${businessId}/`));

// --- plans and counters ----------------------------------------------------------

/**
 * A plan allowing `storageBytes` (requests unlimited unless given), for one test's
 * business; `remove()` puts the business back on free and deletes the plan.
 */
export async function tinyPlan(businessId: number, storageBytes: number, requestsPerMinute: number | null = null) {
  const id = `test-files-${crypto.randomUUID().slice(0, 8)}`;
  await owner`
    insert into subscription_plans (id, name, monthly_price_cents, yearly_price_cents, storage_bytes, requests_per_minute)
    values (${id}, ${`Tiny ${id}`}, 0, 0, ${storageBytes}, ${requestsPerMinute})`;
  await owner`
    update business_subscriptions set plan_id = ${id}, status = 'active', trial_ends_at = null,
           current_period_start = now() - interval '1 day', current_period_end = now() + interval '30 days'
     where business_id = ${businessId}`;
  return {
    id,
    async remove() {
      await owner`update business_subscriptions set plan_id = 'free' where business_id = ${businessId}`;
      await owner`delete from subscription_plans where id = ${id}`;
    },
  };
}

export async function storageCounter(businessId: number): Promise<number> {
  const [row] = await owner`select value from usage_counters where business_id = ${businessId} and metric = 'storage_bytes'`;
  return row ? Number(row.value) : 0;
}

export async function fileRows(businessId: number) {
  const rows = await owner<{ id: string; object_id: string; category: string; stored_name: string; size_bytes: string; sha256: string; name: string }[]>`
    select id, object_id, category, stored_name, size_bytes, sha256, name from files where business_id = ${businessId} order by id`;
  return rows.map((r) => ({ ...r, id: Number(r.id), size_bytes: Number(r.size_bytes) }));
}
