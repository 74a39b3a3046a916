/**
 * Helpers for the search tests: Meilisearch spoken to over HTTP (never through
 * the app's client: what the server really holds and answers is what counts),
 * a job worker that runs the indexing jobs, and waiting for the index.
 */
import { afterAll, beforeAll } from "bun:test";
import { env } from "../../src/env.ts";
import type { Worker } from "../../src/jobs/worker.ts";
import { indexNames } from "../../src/tenancy/search-indexes.ts";
import { testWorker } from "../jobs/support/jobs.ts";
import { waitFor } from "../setup/wait.ts";
import { deps } from "../setup/harness.ts";

export { testWorker };

/** For a test file whose writes must reach the index: search set up, and a worker running the indexing jobs. */
export function withSearchWorker(): void {
  let worker: Worker | undefined;
  beforeAll(async () => {
    await deps.search.setup();
    worker = await testWorker();
  });
  afterAll(() => worker?.stop());
}

export const MEILI_URL = env.MEILI_URL!;
export const MASTER_KEY = env.MEILI_MASTER_KEY!;
export const INDEXES = indexNames(env.MEILI_INDEX_PREFIX);

export interface MeiliAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** One request to a Meilisearch (the run's, unless `url` says otherwise) with `key` as bearer (the master key by default). */
export async function meili<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  { key = MASTER_KEY, url = MEILI_URL }: { key?: string; url?: string } = {},
): Promise<MeiliAnswer<T>> {
  const response = await fetch(new URL(path, url), {
    // As the app's client does (src/tenancy/search-client.ts): Bun's fetch stalls ~40 ms on a reused connection.
    keepalive: false,
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

export type Doc = Record<string, unknown> & { id: number; tenant_id: number };

/** Every document of `index` whose filter matches, read with the master key (no tenant rule applies). */
export async function documents(index: keyof typeof INDEXES, filter: string | string[], url = MEILI_URL): Promise<Doc[]> {
  const { status, body } = await meili<{ results: Doc[] }>("POST", `/indexes/${INDEXES[index]}/documents/fetch`, { filter, limit: 10_000 }, { url });
  if (status !== 200) throw new Error(`documents/fetch answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.results;
}

/** The documents of one business in `index`, by id. */
export async function documentsOf(index: "products" | "services", businessId: number, url = MEILI_URL): Promise<Map<number, Doc>> {
  return new Map((await documents(index, `tenant_id = ${businessId}`, url)).map((d) => [d.id, d]));
}

/** Waits (up to `timeoutMs`) until `check` holds for the business's documents; returns them. */
export function untilDocuments(index: "products" | "services", businessId: number, label: string, check: (docs: Map<number, Doc>) => boolean, timeoutMs = 20_000, url = MEILI_URL) {
  return waitFor(
    label,
    async () => {
      const docs = await documentsOf(index, businessId, url);
      return check(docs) && docs;
    },
    timeoutMs,
  );
}
