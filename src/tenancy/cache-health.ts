/**
 * The cache and rate-limit part of /health's `detail`, for operators: which
 * store is in use and this process's counts. /health answers anyone, and which
 * businesses are busy is tenant data, so the per-tenant rows (this process's)
 * are added only for `?detail=tenants` with a super admin's access token;
 * `admin.cache.stats` gives super admins the totals of every process.
 */
import { bearerToken, type TokenIssuer } from "../lib/tokens.ts";
import type { CacheService } from "./cache.ts";
import type { TenantCounts } from "./cache-stats.ts";
import { checkSuperAdmin } from "./principal-checks.ts";
import type { Scopes } from "./scopes.ts";

export interface CacheHealthDeps {
  cache: CacheService;
  tokens: TokenIssuer;
  scopes: Scopes;
}

export interface CacheHealthDetail {
  cache: { driver: "redis" | "memory"; hits: number; misses: number; bypassed: number };
  rateLimit: { store: "redis" | "memory"; refusals: number };
  tenants?: TenantCounts[];
}

async function isSuperAdmin(deps: CacheHealthDeps, headers: Headers): Promise<boolean> {
  const token = bearerToken(headers);
  if (!token) return false;
  try {
    const claims = await deps.tokens.verifyAccess(token);
    await deps.scopes.asSuperAdmin((scope) => checkSuperAdmin(scope, claims), { readOnly: true });
    return true;
  } catch {
    return false;
  }
}

export async function cacheHealthDetail(deps: CacheHealthDeps, request: { headers: Headers; wantsTenants: boolean }, cacheUp: boolean): Promise<CacheHealthDetail> {
  const { hits, misses, bypassed, refusals } = deps.cache.stats.totals();
  const detail: CacheHealthDetail = {
    cache: { driver: deps.cache.driver, hits, misses, bypassed },
    // While Redis is down the limiter counts in this process's memory.
    rateLimit: { store: deps.cache.driver === "redis" && cacheUp ? "redis" : "memory", refusals },
  };
  if (request.wantsTenants && (await isSuperAdmin(deps, request.headers))) detail.tenants = deps.cache.stats.tenants(100);
  return detail;
}
