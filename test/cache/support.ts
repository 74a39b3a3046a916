/**
 * Shared set-up for the cache and rate-limit tests: caches on both drivers
 * (memory always, Redis when REDIS_URL is set, as in CI), each under a key
 * prefix of its own inside this run's (removed by test/run.ts at the end, and by
 * each test file's afterAll), and HTTP helpers that keep the response headers.
 */
import { afterAll } from "bun:test";
import superjson from "superjson";
import { env } from "../../src/env.ts";
import { createCache, type CacheService } from "../../src/tenancy/cache.ts";
import { unique } from "../setup/fixtures.ts";
import { keysUnder, removeKeysUnder } from "../setup/redis-keys.ts";

export type Driver = "memory" | "redis";
export const DRIVERS: Driver[] = env.REDIS_URL ? ["memory", "redis"] : ["memory"];
export const REDIS_URL = env.REDIS_URL;

const prefixes: string[] = [];
const caches: CacheService[] = [];

/** A prefix inside this run's, unique to the caller. */
export function testPrefix(label: string): string {
  const prefix = `${env.CACHE_PREFIX}:${label}-${unique()}`;
  prefixes.push(prefix);
  return prefix;
}

/** A cache on `driver`, closed and its keys removed after the file. */
export async function cacheOn(driver: Driver, label = "c", redisUrl = REDIS_URL): Promise<CacheService> {
  const cache = createCache({ redisUrl: driver === "redis" ? redisUrl : undefined, prefix: testPrefix(label) });
  caches.push(cache);
  await cache.store.ready();
  return cache;
}

afterAll(async () => {
  await Promise.all(caches.map((c) => c.close().catch(() => {})));
  if (REDIS_URL) for (const prefix of prefixes) await removeKeysUnder(REDIS_URL, prefix);
});

/** Every key of `cache` in Redis, relative to its prefix. */
async function redisKeys(cache: CacheService): Promise<string[]> {
  if (!REDIS_URL) throw new Error("needs REDIS_URL");
  return (await keysUnder(REDIS_URL, cache.store.prefix)).map((k) => k.slice(cache.store.prefix.length + 1)).sort();
}

/** Every key a cache holds, whatever the driver, relative to its prefix. */
export async function allKeys(cache: CacheService): Promise<string[]> {
  if (cache.driver === "redis") return redisKeys(cache);
  return (await cache.store.storage.getKeys()).sort();
}

export interface Reply {
  status: number;
  headers: Headers;
  code?: string;
  data?: unknown;
}

/** One tRPC call over HTTP through `fetch` (in-process app.fetch or a real server), keeping status and headers. */
export async function call(
  fetcher: (request: Request) => Response | Promise<Response>,
  base: string,
  path: string,
  options: { token?: string; tenant?: string; input?: unknown; mutation?: boolean } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant) headers["x-tenant-id"] = options.tenant;
  const payload = JSON.stringify(superjson.serialize(options.input));
  const request = options.mutation
    ? new Request(`${base}/trpc/${path}`, { method: "POST", headers, body: payload })
    : new Request(`${base}/trpc/${path}${options.input === undefined ? "" : `?input=${encodeURIComponent(payload)}`}`, { headers });
  const response = await fetcher(request);
  const body = (await response.json()) as { result?: { data: unknown }; error?: unknown };
  if (body.error) {
    const error = superjson.deserialize(body.error as never) as { data?: { code?: string } };
    return { status: response.status, headers: response.headers, code: error.data?.code };
  }
  return { status: response.status, headers: response.headers, data: superjson.deserialize(body.result!.data as never) };
}

/** `"business";q=600;w=60, "user";q=120;w=60` → { business: { q: 600, w: 60 }, user: { ... } }. */
export function parseFields(value: string | null): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const item of (value ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [name, ...params] = item.split(";");
    out[JSON.parse(name!)] = Object.fromEntries(params.map((p) => p.split("=")).map(([k, v]) => [k!, Number(v)]));
  }
  return out;
}
