/**
 * File storage over real HTTP (Bun.serve on loopback), fs driver in a temporary
 * directory, 100 KB PNG files:
 *
 *   upload     POST /files/products through createApp(deps): token, tenant checks,
 *              rate limit, content sniffing, quota reservation, row, audit
 *   download   GET /files/:id with a signed link: signature, tenant key, file row
 *              and business status, then the bytes
 *   plain      a plain Hono route answering the same bytes from the same blob
 *              store, with no checks at all: the floor for "serving a file"
 *
 * Throughput (MB/s) with CONCURRENCY requests in flight, and p50 of one request at
 * a time, in alternating rounds so drift on a shared machine hits each alike.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import { Hono } from "hono";
import postgres from "postgres";
import superjson from "superjson";
import { createApp } from "../src/app.ts";
import { createDeps } from "../src/deps.ts";
import { createBlobStore } from "../src/tenancy/blob-store.ts";
import { storageKey } from "../src/tenancy/files.ts";
import type { AppRouter } from "../src/trpc/router.ts";
import { png } from "../test/files/sample-png.ts";
import type { BenchEnv } from "./env.ts";
import { ownerWithTenant } from "./http-in-process.ts";
import { serveOnLoopback } from "./http-load.ts";
import { latency, ms, ratio } from "./stats.ts";

const FILE_BYTES = 100 * 1024;
const CONCURRENCY = 8;
const ROUNDS = 3;
const PER_ROUND = 150;
const LATENCY_SAMPLES = 150;

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
  return performance.now() - started;
}

async function sequential(n: number, fn: () => Promise<void>): Promise<Float64Array> {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out[i] = performance.now() - t0;
  }
  return out;
}

export async function filesBench(env: BenchEnv): Promise<string[]> {
  const { say } = env;
  const dir = mkdtempSync(join(tmpdir(), "desibazaar-bench-files-"));
  const deps = createDeps({
    roleUrls: env.roleUrls,
    contextKey: env.contextKey,
    tokens: { secret: crypto.randomUUID() + crypto.randomUUID() },
    baseDomain: "desibazaar.test",
    files: { blobs: { driver: "fs", path: dir }, signingSecret: crypto.randomUUID() + crypto.randomUUID() },
  });
  const owner = postgres(env.ownerUrl, { max: 2, onnotice: () => {} });
  const server = serveOnLoopback(createApp(deps).fetch, 32 * 1024 * 1024);
  const base = `http://127.0.0.1:${server.port}`;
  const blobs = createBlobStore({ driver: "fs", path: dir });
  try {
    const { accessToken, tenant } = await ownerWithTenant(base);
    const headers = { authorization: `Bearer ${accessToken}` };
    // This throw-away database only: no request cap, no storage cap, so the request path is what is measured.
    await owner`update subscription_plans set requests_per_minute = null, storage_bytes = null`;
    const tenantHeaders = { ...headers, "x-tenant-id": tenant.tenantKey };
    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc`, transformer: superjson, headers: tenantHeaders })] });

    const bytes = png(FILE_BYTES);
    const uploadOnce = async () => {
      const form = new FormData();
      form.append("file", new File([bytes], "bench.png", { type: "image/png" }));
      const response = await fetch(`${base}/files/products`, { method: "POST", body: form, headers: tenantHeaders });
      if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: number };
    };
    const { id } = await uploadOnce();
    const { url } = await api.files.getDownloadUrl.query({ id, expiresInSeconds: 3600 });
    const [row] = await owner`select object_id, stored_name from files where business_id = ${tenant.businessId} and id = ${id}`;
    const key = storageKey(tenant.businessId, { category: "products", objectId: row!.object_id, storedName: row!.stored_name });

    const plain = new Hono();
    plain.get("/plain", async (c) => {
      const found = await blobs.get(key);
      return found ? c.body(found as Uint8Array<ArrayBuffer>, 200, { "content-type": "image/png" }) : c.notFound();
    });
    plain.post("/plain-upload", async (c) => {
      const file = (await c.req.formData()).get("file") as File;
      await blobs.put(`bench/${crypto.randomUUID()}`, new Uint8Array(await file.arrayBuffer()));
      return c.json({ ok: true }, 201);
    });
    const plainServer = serveOnLoopback(plain.fetch);
    const plainBase = `http://127.0.0.1:${plainServer.port}`;
    const get = async (target: string) => {
      const response = await fetch(target);
      const body = await response.arrayBuffer();
      if (response.status !== 200 || body.byteLength !== FILE_BYTES) throw new Error(`download answered ${response.status} (${body.byteLength} bytes)`);
    };
    const plainUpload = async () => {
      const form = new FormData();
      form.append("file", new File([bytes], "bench.png", { type: "image/png" }));
      const response = await fetch(`${plainBase}/plain-upload`, { method: "POST", body: form });
      if (response.status !== 201) throw new Error(`plain upload answered ${response.status}`);
    };

    try {
      const targets = {
        upload: () => uploadOnce().then(() => {}),
        plainUpload,
        download: () => get(`${base}${url}`),
        plainDownload: () => get(`${plainBase}/plain`),
      };
      type Target = keyof typeof targets;
      const keys = Object.keys(targets) as Target[];
      say(`warming up, then ${ROUNDS} rounds of ${PER_ROUND} requests (${CONCURRENCY} in flight) and ${LATENCY_SAMPLES} one at a time per target`);
      for (const k of keys) await pool(30, CONCURRENCY, () => targets[k]());
      const elapsed = Object.fromEntries(keys.map((k) => [k, 0])) as Record<Target, number>;
      const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<Target, number[]>;
      for (let round = 0; round < ROUNDS; round++) {
        for (let j = 0; j < keys.length; j++) {
          const k = keys[(round + j) % keys.length]!;
          elapsed[k] += await pool(PER_ROUND, CONCURRENCY, () => targets[k]());
          samples[k].push(...(await sequential(LATENCY_SAMPLES / ROUNDS, targets[k])));
        }
      }
      const mbps = (k: Target) => (ROUNDS * PER_ROUND * FILE_BYTES) / 1_048_576 / (elapsed[k] / 1000);
      const p50 = (k: Target) => latency(Float64Array.from(samples[k])).p50;
      for (const k of keys) say(`  ${k.padEnd(14)} ${mbps(k).toFixed(1).padStart(7)} MB/s   p50 ${ms(p50(k))}`);
      const [files] = await owner`select count(*)::int as n from files where business_id = ${tenant.businessId}`;
      say(`  (${files!.n} files stored through the API in this run)`);
      return [
        `files, 100 KB, ${CONCURRENCY} in flight: upload ${mbps("upload").toFixed(1)} MB/s vs plain Hono upload ${mbps("plainUpload").toFixed(1)} MB/s (${ratio(mbps("plainUpload") / mbps("upload"))}); signed download ${mbps("download").toFixed(1)} MB/s vs plain Hono ${mbps("plainDownload").toFixed(1)} MB/s (${ratio(mbps("plainDownload") / mbps("download"))})`,
        `files p50, one at a time: signed download ${ms(p50("download"))} vs plain ${ms(p50("plainDownload"))} → tenant checks add ${ms(p50("download") - p50("plainDownload"))} (${ratio(p50("download") / p50("plainDownload"))}); upload ${ms(p50("upload"))} vs plain ${ms(p50("plainUpload"))} → +${ms(p50("upload") - p50("plainUpload"))} (${ratio(p50("upload") / p50("plainUpload"))})`,
      ];
    } finally {
      await plainServer.stop();
    }
  } finally {
    await server.stop();
    await Promise.all([deps.close(), owner.end({ timeout: 5 }), blobs.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
