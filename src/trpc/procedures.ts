/**
 * The procedure builders. Every procedure is built on exactly one of these, and
 * each puts on `ctx` only the scoped handle it needs: nothing else gives a
 * procedure a database (test/architecture.test.ts checks that routers and
 * services never reach for `ctx.deps`).
 *
 * Scoped builders run the whole procedure inside one transaction: a procedure
 * that fails rolls back everything it wrote.
 */
import { NotFoundError, UnauthorizedError, ValidationError } from "../lib/errors.ts";
import type { AccessClaims } from "../lib/tokens.ts";
import { authorizeOwnerOrSuperAdmin, type OperatorAccess } from "../services/lifecycle/authorize.ts";
import { admitTenantRequest } from "../tenancy/admission.ts";
import { checkCustomerSession, checkPlatformSession, checkSuperAdmin } from "../tenancy/principal-checks.ts";
import { withContext } from "../tenancy/request-context.ts";
import type { AdminScope, TenantScope } from "../tenancy/scopes.ts";
import type { AccessRequirement, TenantAccess } from "../tenancy/tenant-request.ts";
import { parseTenantRef } from "../tenancy/tenant-ref.ts";
import type { Context } from "./context.ts";
import { toTRPCError } from "./errors.ts";
import { t } from "./init.ts";

function requireClaims(ctx: Pick<Context, "principal">): AccessClaims {
  if (!ctx.principal) throw new UnauthorizedError("Sign in first: send Authorization: Bearer <accessToken>");
  if (!ctx.principal.ok) throw ctx.principal.error;
  return ctx.principal.claims;
}

/** Inside a transaction, a failed procedure must throw so the transaction rolls back. */
function orThrow<R extends { ok: true } | { ok: false; error: unknown }>(result: R): R {
  if (!result.ok) throw result.error;
  return result;
}

/**
 * Anyone. `ctx.platform` runs work on the platform role (sign-in, directory);
 * `ctx.tokens` issues and verifies tokens; `ctx.baseDomain` names tenant subdomains;
 * `ctx.policy` is what the platform decides for new businesses.
 *
 * Outermost, so it sees every error: domain and database errors become the
 * contract's codes. (One middleware, not two: each level of tRPC's chain copies
 * the whole context, on every call.)
 */
export const publicProcedure = t.procedure.use(async ({ ctx, next }) => {
  const result = await next({ ctx: { platform: ctx.deps.scopes.asPlatform, tokens: ctx.deps.tokens, baseDomain: ctx.deps.baseDomain, policy: ctx.deps.policy } });
  if (!result.ok) {
    const mapped = toTRPCError(result.error);
    if (mapped !== result.error) throw mapped;
  }
  return result;
});

/**
 * Any signed-in user with a live session; `ctx.user` is who. `ctx.provision`
 * opens the scope of a business being created, with this user as its creator.
 *
 * `ctx.asOwnerOrSuperAdmin(tenantKey, fn)` is for calls a business's owner may
 * make on it and a super admin on any (lifecycle activate/delete): it opens the
 * super-admin scope, checks in its first query that the caller is a super admin
 * or that business's owner (FORBIDDEN otherwise, and for an unknown business
 * unless the caller is a super admin), then runs fn in that same transaction.
 * The tenant role cannot change a business's status (only its name), and the
 * check is here rather than in each service so no caller can skip it.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const claims = requireClaims(ctx);
  const user = await ctx.deps.scopes.asPlatform((scope) => checkPlatformSession(scope, claims), { readOnly: true });
  const provision = <T>(fn: (scope: TenantScope) => Promise<T>) => ctx.deps.scopes.asNewTenant(user.userId, fn);
  const asOwnerOrSuperAdmin = <T>(tenantKey: string, fn: (scope: AdminScope, access: OperatorAccess) => Promise<T>) =>
    ctx.deps.scopes.asSuperAdmin(async (scope) => fn(scope, await authorizeOwnerOrSuperAdmin(scope, user.userId, tenantKey)), { userId: user.userId });
  return withContext({ userId: user.userId }, () => next({ ctx: { user, provision, asOwnerOrSuperAdmin } }));
});

/**
 * The one way into a tenant request, for the tenant builders below and for the
 * HTTP file routes (src/http/files.ts): token, tenant selection, the business's
 * and the user's request rate (decided before any database work:
 * src/tenancy/admission.ts), then, in the first round trip, session, business
 * status, membership and `requirement` (src/tenancy/tenant-request.ts). `fn` runs
 * inside the tenant's transaction; `tenant` (the membership) settles with that
 * first round trip: a read-only request does not wait for it before reading.
 */
export async function withTenantRequest<T>(
  ctx: Pick<Context, "deps" | "principal" | "tenantRef" | "headers">,
  options: AccessRequirement & { readOnly: boolean },
  fn: (scope: TenantScope, tenant: Promise<TenantAccess>, user: { userId: number; sessionId: string }) => Promise<T>,
): Promise<T> {
  const claims = requireClaims(ctx);
  if (!ctx.tenantRef) throw new ValidationError("Choose a business: send the x-tenant-id header or call its subdomain");
  const tenantRef = parseTenantRef(ctx.tenantRef);
  if (!tenantRef) throw new ValidationError("x-tenant-id must be a tenantKey (uuid) or a slug");
  const businessId = await admitTenantRequest(ctx.deps.admission, { tenantRef, userId: claims.userId, headers: ctx.headers });
  if (businessId === undefined) throw new NotFoundError("Business not found");
  const user = { userId: claims.userId, sessionId: claims.sessionId };
  const request = { ...user, ...options };
  return ctx.deps.scopes.forTenantRequest(businessId, request, (scope, tenant) => fn(scope, tenant, user));
}

/**
 * A member of the business named by `x-tenant-id` or the subdomain. `ctx.scope`
 * sees that business's rows only; `ctx.tenant` settles to the membership (role,
 * permissions). Suspended businesses are FORBIDDEN, closed or unknown ones
 * NOT_FOUND; past the plan's requests per minute, TOO_MANY_REQUESTS. What the
 * procedure requires of the caller's role comes from its meta (below), checked
 * in the request's first round trip.
 */
export const tenantProcedure = publicProcedure.use(({ ctx, type, meta, next }) =>
  withTenantRequest(ctx, { permission: meta?.permission, ownerOnly: meta?.ownerOnly, accessFirst: meta?.accessFirst, readOnly: type === "query" }, async (scope, tenant, user) =>
    orThrow(await next({ ctx: { scope, tenant, user } })),
  ),
);

/** A tenant procedure that also needs `permission` (owners hold them all). */
export function tenantProcedureWith(permission: string) {
  return tenantProcedure.meta({ permission });
}

/** The business's owner only. */
export const ownerProcedure = tenantProcedure.meta({ ownerOnly: true });

/** A signed-in user acting for itself across businesses: `ctx.scope` shows only its own rows. */
export const customerProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  const claims = requireClaims(ctx);
  return ctx.deps.scopes.asCustomer(
    claims.userId,
    async (scope) => {
      const user = await checkCustomerSession(scope, claims);
      return orThrow(await next({ ctx: { scope, user } }));
    },
    { readOnly: type === "query" },
  );
});

/** Platform super admins, on their own role and pool: `ctx.scope` sees every tenant. */
export const adminProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  const claims = requireClaims(ctx);
  return ctx.deps.scopes.asSuperAdmin(
    async (scope) => {
      const user = await checkSuperAdmin(scope, claims);
      return orThrow(await next({ ctx: { scope, user } }));
    },
    { userId: claims.userId, readOnly: type === "query" },
  );
});
