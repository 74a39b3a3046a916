/**
 * The deps settings a test process builds from what test/run.ts handed over in
 * the environment: the harness's, and those of the API processes the
 * multi-process tests start (test/cache/api-process.ts), which must not import
 * the harness (it would build a second set of pools and clients in the child).
 */
import type { RoleUrls } from "../../src/db/roles.ts";
import type { DepsConfig } from "../../src/deps.ts";
import { env, roleUrlsFromEnv } from "../../src/env.ts";

/** Every role URL is set by test/run.ts (the harness refuses to start otherwise). */
export const testRoleUrls = roleUrlsFromEnv(env) as RoleUrls;

export function testDepsConfig(overrides: Partial<DepsConfig> = {}): DepsConfig {
  return {
    roleUrls: testRoleUrls,
    contextKey: env.CONTEXT_SIGNING_KEY!,
    pool: { max: 10 },
    tokens: { secret: env.JWT_SECRET! },
    baseDomain: "desibazaar.test",
    redisUrl: env.REDIS_URL,
    cachePrefix: env.CACHE_PREFIX,
    meiliUrl: env.MEILI_URL,
    ...overrides,
  };
}
