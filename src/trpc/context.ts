/**
 * The tRPC context: what every procedure may know about the request before any
 * middleware runs. The principal is verified here (signature and expiry); whether
 * its session still stands is checked by the procedure builders, in the same
 * round trip as their scope.
 */
import type { Pools } from "../db/client.ts";
import { UnauthorizedError } from "../lib/errors.ts";
import { RESERVED_SLUGS } from "../services/tenants/slug.ts";
import type { AccessClaims, TokenIssuer } from "../lib/tokens.ts";
import type { AdmissionDeps } from "../tenancy/admission.ts";
import type { CacheService } from "../tenancy/cache.ts";
import type { Scopes } from "../tenancy/scopes.ts";

/** Everything the app is built from; created once at start (or per test suite). */
export interface AppDeps {
  pools: Pools;
  scopes: Scopes;
  tokens: TokenIssuer;
  baseDomain: string;
  checks: { cache(): Promise<boolean>; search(): Promise<boolean> };
  cache: CacheService;
  /** The request rate limit, decided before a tenant request touches the database. */
  admission: AdmissionDeps;
}

export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  headers: Headers;
  host: string | null;
}

export type Principal = { ok: true; claims: AccessClaims } | { ok: false; error: UnauthorizedError } | null;

export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (!value) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match ? match[1]! : "";
}

/** The tenant the client asked for: `x-tenant-id`, else the `{slug}.{BASE_DOMAIN}` host. */
export function tenantRefFromRequest(meta: RequestMeta, baseDomain: string): string | null {
  const header = meta.headers.get("x-tenant-id")?.trim();
  if (header) return header;
  const host = meta.host?.toLowerCase().replace(/:\d+$/, "");
  const suffix = `.${baseDomain.toLowerCase().replace(/:\d+$/, "")}`;
  if (host?.endsWith(suffix)) {
    const slug = host.slice(0, -suffix.length);
    // api.{BASE_DOMAIN}, www.{BASE_DOMAIN}, ... are ours, never a business.
    if (slug && !slug.includes(".") && !RESERVED_SLUGS.has(slug)) return slug;
  }
  return null;
}

export async function createContext(deps: AppDeps, meta: RequestMeta) {
  const token = bearerToken(meta.headers);
  let principal: Principal = null;
  if (token !== null) {
    principal = await deps.tokens.verifyAccess(token).then(
      (claims) => ({ ok: true as const, claims }),
      (error: UnauthorizedError) => ({ ok: false as const, error }),
    );
  }
  return { deps, ...meta, principal, tenantRef: tenantRefFromRequest(meta, deps.baseDomain) };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
