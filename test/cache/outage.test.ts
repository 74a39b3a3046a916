/**
 * Redis going away mid-run (a TCP proxy between the app and Redis is cut, and
 * restored; the machine's Redis itself is never touched): requests keep
 * succeeding, /health says the cache is down and rate limits fall back to the
 * process's memory (logged once); when Redis returns everything resumes on its
 * own, and what was invalidated meanwhile is not served stale.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { createApp } from "../../src/app.ts";
import { createDeps, type OwnedDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import { logger } from "../../src/lib/logger.ts";
import { createTenant } from "../setup/fixtures.ts";
import { contextKey, urls, ownerUrl } from "../setup/harness.ts";
import { waitFor } from "../setup/wait.ts";
import { startRedisProxy } from "./redis-proxy.ts";
import { quickUser } from "./plans.ts";
import { connectOwner } from "../setup/catalog.ts";
import { REDIS_URL, call, testPrefix } from "./support.ts";

const db = connectOwner(ownerUrl, 1);
afterAll(() => db.end({ timeout: 5 }));

setDefaultTimeout(60_000);
const BASE = "http://api.desibazaar.test";

const logSince = (offset: number) => {
  logger.flush();
  return readFileSync(env.LOG_FILE!, "utf8").slice(offset);
};
const logSize = () => (env.LOG_FILE ? statSync(env.LOG_FILE).size : 0);
const count = (text: string, phrase: string) => text.split("\n").filter((l) => l.includes(phrase)).length;

describe.skipIf(!REDIS_URL)("Redis unreachable mid-run", () => {
  let proxy: ReturnType<typeof startRedisProxy>;
  let deps: OwnedDeps;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    proxy = startRedisProxy(REDIS_URL!);
    deps = createDeps({ roleUrls: urls, contextKey, tokens: { secret: env.JWT_SECRET! }, baseDomain: "desibazaar.test", redisUrl: proxy.url, cachePrefix: testPrefix("outage") });
    app = createApp(deps);
    await deps.cache.store.ready();
  });
  afterAll(async () => {
    await deps.close();
    proxy.stop();
  });

  test("requests keep succeeding, /health says down, limits count in memory; all resumes by itself when Redis returns", async () => {
    const user = await quickUser(db);
    const tenant = await createTenant(user);
    const request = (path: string, input?: unknown, mutation = false) =>
      call((r) => app.fetch(r), BASE, path, { token: user.token, tenant: tenant.tenantKey, input, mutation });
    const health = async () => (await (await app.request("/health")).json()) as { status: string; cache: string; detail: { rateLimit: { store: string } } };

    const before = await request("categories.list");
    expect(before.status).toBe(200);
    expect((await health()).cache).toBe("up");
    const offset = logSize();

    proxy.cut();
    await waitFor("/health to notice", async () => (await health()).cache === "down", 7_500);
    const down = await health();
    expect(down).toMatchObject({ status: "ok", cache: "down", detail: { rateLimit: { store: "memory" } } });
    const during = [];
    for (let i = 0; i < 10; i++) during.push(await request("tenants.current"));
    expect(during.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(during.every((r) => r.headers.get("RateLimit-Policy") !== null)).toBe(true); // counted in this process's memory
    // A write while Redis is away: its invalidation cannot be sent now.
    expect((await request("categories.create", { name: "Made During Outage" }, true)).status).toBe(200);
    expect(((await request("categories.list")).data as { name: string }[]).map((c) => c.name)).toContain("Made During Outage");

    proxy.restore();
    await waitFor("/health to see Redis again", async () => (await health()).cache === "up", 7_500);
    expect((await health()).detail.rateLimit.store).toBe("redis");
    const after = await request("categories.list");
    expect(after.status).toBe(200);
    // The list cached before the outage is not served again: the missed invalidation was replayed.
    expect((after.data as { name: string }[]).map((c) => c.name)).toContain("Made During Outage");

    const log = logSince(offset);
    expect(count(log, "Redis is unreachable")).toBe(1);
    expect(count(log, "Redis is reachable again")).toBe(1);
    expect(log).not.toContain(REDIS_URL!); // nor the proxy's address with any credentials: the URL is never logged
  });
});
