/**
 * The shared test harness: real pools, scopes and app built on the services
 * test/run.ts started (handed over through the environment). Every test file
 * imports this module; bun runs them in one process, so it is built once.
 */
import { createApp } from "../../src/app.ts";
import { createDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import { roleUrls } from "../../src/db/roles.ts";
import { recordSecret } from "./secrets.ts";

if (!env.DATABASE_URL) throw new Error("Run the tests with `bun run test`: it starts PostgreSQL and Meilisearch first");

export const urls = roleUrls(env.DATABASE_URL, {
  app: env.DATABASE_APP_URL,
  customer: env.DATABASE_CUSTOMER_URL,
  admin: env.DATABASE_ADMIN_URL,
  platform: env.DATABASE_PLATFORM_URL,
});

export const ownerUrl = env.DATABASE_URL;

export const deps = createDeps({
  roleUrls: urls,
  pool: { max: 10 },
  tokens: { secret: env.JWT_SECRET! },
  baseDomain: "desibazaar.test",
  redisUrl: env.REDIS_URL,
  meiliUrl: env.MEILI_URL,
});

// Every token the app issues during the tests is recorded, so the log scan (test/run.ts) looks for it.
const { signAccess, newRefreshToken } = deps.tokens;
deps.tokens.signAccess = async (...args) => {
  const access = await signAccess(...args);
  recordSecret(access.token);
  return access;
};
deps.tokens.newRefreshToken = () => {
  const refresh = newRefreshToken();
  recordSecret(refresh.token);
  recordSecret(refresh.hash);
  return refresh;
};

export const app = createApp(deps);
export const { scopes, pools } = deps;
