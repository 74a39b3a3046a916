/**
 * The one Meilisearch client (with src/tenancy/search-token.ts for the token
 * signer, these are the only files that import `meilisearch`;
 * test/architecture.test.ts enforces it). Everything else reaches search
 * through `scope.search` (src/tenancy/search.ts), bound to a business.
 *
 * Start-up is lazy and retried: the indexes, their settings and the
 * search-only key are put in place on first use (src/index.ts asks early), so a
 * Meilisearch that is down at start-up delays search, not the API.
 *
 * Errors leave here as domain errors: a caller's bad filter or sort is a
 * ValidationError (BAD_REQUEST) carrying Meilisearch's explanation; an
 * unreachable or failing server is a ServiceUnavailableError with a fixed
 * message. Meilisearch's own error objects (which hold request details) are
 * never logged or rethrown.
 */
import { Meilisearch, MeilisearchApiError, type EnqueuedTaskPromise, type Settings } from "meilisearch";
import { ServiceUnavailableError, ValidationError } from "../lib/errors.ts";
import { logger } from "../lib/logger.ts";
import { INDEX_SETTINGS, indexNames, sortedEqual, type IndexDefinition, type IndexNames } from "./search-indexes.ts";
import { ensureTokenKey, tokenKeyUid, type TokenKey } from "./search-token.ts";

export interface SearchConfig {
  /** MEILI_URL; undefined: search is not configured in this process (every call is SERVICE_UNAVAILABLE). */
  url?: string;
  masterKey?: string;
  /** MEILI_INDEX_PREFIX: every index uid and the token key's name start with it. */
  indexPrefix: string;
  /** What clients are told to call with their tenant tokens (MEILI_PUBLIC_URL, default `url`). */
  publicUrl?: string;
  /** Per HTTP request; a hung server must not hold a request or a job for long. */
  requestTimeoutMs?: number;
}

export interface WriteOptions {
  /** Wait until Meilisearch has applied the write, not only accepted it. */
  applied?: boolean;
}

const UNAVAILABLE = "Search is unavailable right now; please try again shortly (everything else keeps working)";

/** Meilisearch codes that describe the caller's query, not our setup. */
const CALLER_ERRORS: Record<string, string> = {
  invalid_search_filter: "Invalid filter",
  invalid_search_sort: "Invalid sort",
  invalid_search_facets: "Invalid facets",
  invalid_search_q: "Invalid query",
  invalid_search_offset: "Invalid offset",
  invalid_search_limit: "Invalid limit",
};

/** Meilisearch's explanation, without the index uid (it names the deployment's prefix) and within reason. */
const explanation = (message: string) => message.replace(/Index `[^`]*`:\s*/g, "").slice(0, 500);

export const apiCode = (error: unknown) => (error instanceof MeilisearchApiError ? error.cause?.code : undefined);

export type SearchBackend = ReturnType<typeof createSearchBackend>;

export function createSearchBackend(config: SearchConfig) {
  const names = indexNames(config.indexPrefix);
  const client = config.url
    ? new Meilisearch({
        host: config.url,
        apiKey: config.masterKey,
        timeout: config.requestTimeoutMs ?? 5_000,
        // A fresh connection per request. On a reused one, Bun's fetch waits about 40 ms for every answer
        // over ~1.5 KB from Meilisearch (Nagle against delayed ACK; measured here: 44 ms p50 for 20 hits,
        // under 1 ms on a fresh connection), which costs far more than a loopback or LAN connect.
        requestInit: { keepalive: false },
      })
    : null;
  const log = logger.child({ component: "search" });

  // One outage, one warning (and one line when it ends), however many requests hit it.
  let down = false;
  const markDown = (reason: string) => {
    if (down) return;
    down = true;
    log.warn({ reason }, "search is unreachable: search answers SERVICE_UNAVAILABLE and indexing jobs retry until it is back");
  };
  const markUp = () => {
    if (!down) return;
    down = false;
    log.info("search is reachable again");
  };

  /** What the caller sees for anything that is not its own mistake. */
  function unavailable(error: unknown): ServiceUnavailableError {
    const code = apiCode(error);
    if (code === "index_not_found") ready = undefined; // someone deleted an index: put it back on the next call
    markDown(code ?? (error instanceof Error ? error.name : "unknown"));
    return new ServiceUnavailableError(UNAVAILABLE);
  }

  let ready: Promise<Meilisearch> | undefined;
  /** The indexes exist with their settings: once per process, again after a failure. */
  const connect = (): Promise<Meilisearch> => {
    if (!client) return Promise.reject(new ServiceUnavailableError("Search is not configured on this server (MEILI_URL)"));
    return (ready ??= (async () => {
      try {
        for (const [name, definition] of Object.entries(INDEX_SETTINGS)) await applyIndex(client, names[name as keyof IndexNames], definition);
        return client;
      } catch (error) {
        ready = undefined;
        throw unavailable(error);
      }
    })());
  };

  let tokenKey: Promise<TokenKey> | undefined;

  return {
    names,
    publicUrl: config.publicUrl ?? config.url ?? "",

    /** Puts indexes, settings and the token key in place (start-up); rejects while Meilisearch is unreachable. */
    async setup(): Promise<void> {
      await connect();
      await this.tokenKey();
    },

    /** A read on behalf of a caller: its mistakes are BAD_REQUEST, anything else SERVICE_UNAVAILABLE. */
    async read<T>(fn: (client: Meilisearch) => Promise<T>): Promise<T> {
      const c = await connect();
      try {
        const result = await fn(c);
        markUp();
        return result;
      } catch (error) {
        const code = apiCode(error);
        if (code && CALLER_ERRORS[code]) throw new ValidationError(`${CALLER_ERRORS[code]}: ${explanation((error as Error).message)}`);
        throw unavailable(error);
      }
    },

    /**
     * A write. By default it returns once Meilisearch has accepted it: an
     * accepted task is stored in Meilisearch's own task queue and survives a
     * restart, and Meilisearch applies tasks in the order it accepted them.
     * Returning then (rather than when applied) lets Meilisearch batch the writes
     * of many concurrent jobs into one indexing pass instead of one pass per job.
     * `applied` waits until the write is in the index (a rebuild, a purge).
     */
    async write(what: string, fn: (client: Meilisearch) => EnqueuedTaskPromise, { applied = false }: WriteOptions = {}): Promise<void> {
      const c = await connect();
      let task;
      try {
        const enqueued = fn(c);
        if (!applied) {
          await enqueued;
          return markUp();
        }
        task = await enqueued.waitTask({ timeout: 300_000, interval: 25 });
      } catch (error) {
        throw unavailable(error);
      }
      markUp();
      if (task.status !== "succeeded") throw new Error(`search: ${what} ended ${task.status} (${task.error?.code ?? "no code"})`);
    },

    /** Rejects with SERVICE_UNAVAILABLE unless Meilisearch answers its health check. */
    async ensureUp(): Promise<void> {
      if (await this.healthy()) return markUp();
      throw unavailable(new Error("health check failed"));
    },

    /** The search-only key tenant tokens are signed with (never the master key). */
    tokenKey(): Promise<TokenKey> {
      if (!client) return Promise.reject(new ServiceUnavailableError("Search is not configured on this server (MEILI_URL)"));
      return (tokenKey ??= ensureTokenKey(client, names, config.indexPrefix).catch((error: unknown) => {
        tokenKey = undefined;
        throw unavailable(error);
      }));
    },

    /** For /health: does the server answer? */
    async healthy(): Promise<boolean> {
      if (!config.url) return false;
      // Its own short timeout: /health must answer quickly even when Meilisearch hangs.
      const url = new URL("health", config.url.endsWith("/") ? config.url : `${config.url}/`);
      return fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    },

    /**
     * Removes every index and key whose name starts with `{prefix}-` (test runs
     * and benchmarks clean up after themselves, including processes they started
     * with a longer prefix); a deployment never calls this.
     */
    async drop(): Promise<{ indexes: number; keys: number }> {
      if (!client) return { indexes: 0, keys: 0 };
      const mine = (name: string | null | undefined) => !!name && name.startsWith(`${config.indexPrefix}-`);
      const indexes = (await client.getRawIndexes({ limit: 10_000 })).results.filter((i) => mine(i.uid));
      for (const index of indexes) await client.deleteIndex(index.uid).waitTask({ timeout: 60_000 });
      const keys = (await client.getKeys({ limit: 10_000 })).results.filter((k) => mine(k.name) || k.uid === tokenKeyUid(config.indexPrefix));
      for (const key of keys) await client.deleteKey(key.uid);
      return { indexes: indexes.length, keys: keys.length };
    },
  };
}

function sameSettings(current: Settings, wanted: IndexDefinition): boolean {
  return (
    JSON.stringify(current.searchableAttributes) === JSON.stringify(wanted.searchableAttributes) &&
    sortedEqual(current.filterableAttributes as unknown[], wanted.filterableAttributes) &&
    sortedEqual(current.sortableAttributes, wanted.sortableAttributes) &&
    sortedEqual(current.displayedAttributes, wanted.displayedAttributes) &&
    current.typoTolerance?.enabled === wanted.typoTolerance.enabled
  );
}

/** Creates the index if missing and updates its settings only when they differ (a settings task can reindex everything). */
async function applyIndex(client: Meilisearch, uid: string, definition: IndexDefinition): Promise<void> {
  const exists = await client.getRawIndex(uid).then(
    () => true,
    (error: unknown) => {
      if (apiCode(error) === "index_not_found") return false;
      throw error;
    },
  );
  if (!exists) {
    const task = await client.createIndex(uid, { primaryKey: definition.primaryKey }).waitTask({ timeout: 60_000 });
    // Another process starting at the same moment may have created it first.
    if (task.status !== "succeeded" && task.error?.code !== "index_already_exists") throw new Error(`search: creating index ${uid} ended ${task.status}`);
  }
  const index = client.index(uid);
  if (sameSettings(await index.getSettings(), definition)) return;
  const { primaryKey: _, ...settings } = definition;
  const task = await index.updateSettings(settings).waitTask({ timeout: 300_000 });
  if (task.status !== "succeeded") throw new Error(`search: settings of ${uid} ended ${task.status} (${task.error?.code ?? "no code"})`);
}
