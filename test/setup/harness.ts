/**
 * The shared test harness: real pools, scopes and app built on the services
 * test/run.ts started (handed over through the environment). Every test file
 * imports this module; bun runs them in one process, so it is built once.
 */
import { createApp } from "../../src/app.ts";
import { createDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import type { Pools } from "../../src/db/client.ts";
import { ROLE_KINDS, roleOf, type RoleNames, type RoleUrls } from "../../src/db/roles.ts";
import { createContextStatements } from "../../src/tenancy/db-context.ts";
import type { FileStorage } from "../../src/tenancy/files.ts";
import { createScopes } from "../../src/tenancy/scopes.ts";
import { testDepsConfig, testRoleUrls } from "./deps-config.ts";
import { recordSecret } from "./secrets.ts";

if (!env.DATABASE_URL || !env.DATABASE_APP_URL || !env.DATABASE_CUSTOMER_URL || !env.DATABASE_ADMIN_URL || !env.DATABASE_PLATFORM_URL || !env.DATABASE_JOBS_URL || !env.CONTEXT_SIGNING_KEY) {
  throw new Error("Run the tests with `bun run test`: it starts PostgreSQL and Meilisearch first and hands over their URLs and keys");
}

export const urls: RoleUrls = testRoleUrls;
export const contextKey = env.CONTEXT_SIGNING_KEY;

export const ownerUrl = env.DATABASE_URL;

export const deps = createDeps(testDepsConfig());

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

/** Scopes over pools a test made itself (a pool of 1-2 connections, a scratch database), signing like the app. */
export function scopesFor(pools: Pools, roleUrls: RoleUrls = urls, key: string = contextKey, files: FileStorage = deps.files) {
  const roles = Object.fromEntries(ROLE_KINDS.map((kind) => [kind, roleOf(roleUrls[kind])])) as RoleNames;
  return createScopes(pools, { contexts: createContextStatements({ key, roles }), files, cache: deps.cache, jobs: deps.jobs });
}
