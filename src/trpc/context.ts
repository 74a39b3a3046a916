/**
 * The tRPC context: what every procedure may know about the request before any
 * middleware runs. The principal is verified here (signature and expiry); whether
 * its session still stands is checked by the procedure builders, in the same
 * round trip as their scope.
 */
import { UnauthorizedError } from "../lib/errors.ts";
import { bearerToken, type AccessClaims, type TokenIssuer } from "../lib/tokens.ts";
import type { ProvisioningPolicy } from "../services/tenants/provision.ts";
import type { FileStorage } from "../tenancy/files.ts";
import type { AdmissionDeps } from "../tenancy/admission.ts";
import type { CacheService } from "../tenancy/cache.ts";
import type { Scopes } from "../tenancy/scopes.ts";
import { tenantRefFromRequest } from "../tenancy/tenant-ref.ts";

/** Everything the app is built from; created once at start (or per test suite). */
export interface AppDeps {
  scopes: Scopes;
  files: FileStorage;
  tokens: TokenIssuer;
  baseDomain: string;
  /** TRUST_PROXY_HOPS: 0 means the socket's address is the client's. */
  trustProxyHops: number;
  /** What the platform decides for new businesses: the trial plan, businesses per user. */
  policy: ProvisioningPolicy;
  checks: { cache(): Promise<boolean>; search(): Promise<boolean> };
  cache: CacheService;
  /** The request rate limit, decided before a tenant request touches the database. */
  admission: AdmissionDeps;
}

export interface RequestMeta {
  requestId: string;
  /** The client's address (TRUST_PROXY_HOPS), or null when unknown. */
  clientIp(): string | null;
  userAgent: string | null;
  headers: Headers;
  host: string | null;
}

export type Principal = { ok: true; claims: AccessClaims } | { ok: false; error: UnauthorizedError } | null;

export async function createContext(deps: AppDeps, meta: RequestMeta) {
  const token = bearerToken(meta.headers);
  let principal: Principal = null;
  if (token !== null) {
    principal = await deps.tokens.verifyAccess(token).then(
      (claims) => ({ ok: true as const, claims }),
      (error: UnauthorizedError) => ({ ok: false as const, error }),
    );
  }
  return { deps, ...meta, principal, tenantRef: tenantRefFromRequest(meta.headers, meta.host, deps.baseDomain) };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
