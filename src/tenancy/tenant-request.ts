/**
 * Opens the scope of a tenant request from what the client sent (tenantKey or
 * slug) and the verified token. In the first round trip it sets the context
 * (resolving the key inside PostgreSQL), then checks in one query that the
 * session is live, the business exists and is open, and the caller is a member;
 * the same query reads the effective plan's request rate limit.
 */
import type { Pools } from "../db/client.ts";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "../lib/errors.ts";
import { noJobs, tenantJobs, type JobEnqueuer } from "./jobs.ts";
import { withContext } from "./request-context.ts";
import type { TenantScope } from "./scopes.ts";
import { inTransaction, type ContextStatement } from "./transaction.ts";

export type MemberRole = "owner" | "manager" | "staff";

export interface TenantAccess {
  readonly businessId: number;
  readonly tenantKey: string;
  readonly slug: string;
  readonly status: "pending" | "active" | "suspended" | "closed";
  readonly role: MemberRole;
  readonly permissions: readonly string[];
  /** The effective plan's request rate limit (null: unlimited). */
  readonly requestsPerMinute: number | null;
}

export interface TenantRequest {
  /** tenantKey (uuid) or slug, as the client sent it. */
  tenantRef: string;
  userId: number;
  sessionId: string;
  readOnly?: boolean;
}

const contextFromKey =
  (tenantRef: string, userId: number): ContextStatement =>
  (conn) =>
    conn`select set_config('app.current_tenant_id', coalesce(app.tenant_id_for_key(${tenantRef})::text, ''), true),
                set_config('app.current_user_id', ${String(userId)}, true)`;

interface AccessRow {
  id: string | null;
  tenant_key: string | null;
  slug: string | null;
  status: TenantAccess["status"] | null;
  deleted: boolean | null;
  role: MemberRole | null;
  permissions: string[] | null;
  session_active: boolean;
  requests_per_minute: number | null;
}

export function openTenantRequest<T>(
  pools: Pools,
  request: TenantRequest,
  fn: (scope: TenantScope, access: TenantAccess) => Promise<T>,
  jobs: JobEnqueuer = noJobs,
): Promise<T> {
  return inTransaction(pools.app, contextFromKey(request.tenantRef, request.userId), request, async (db, conn) => {
    const [row] = await conn<AccessRow[]>`
      select t.id, t.tenant_key, t.slug, t.status, t.deleted_at is not null as deleted, a.role, a.permissions,
             app.session_is_active(${request.sessionId}::uuid, ${request.userId}::bigint) as session_active,
             p.requests_per_minute
        from (select app.current_tenant_id() as tenant_id) ctx
        left join business_tenants t on t.id = ctx.tenant_id
        left join business_access a on a.business_id = t.id and a.user_id = ${request.userId}
        -- app.effective_plan is inlined into this query (sql/009): the rate limit costs no extra planning.
        left join lateral app.effective_plan(t.id, now()) e on true
        left join subscription_plans p on p.id = e.plan_id`;
    if (!row?.session_active) throw new UnauthorizedError("Your session has ended; sign in again");
    if (!row.id || row.deleted || row.status === "closed") throw new NotFoundError("Business not found");
    if (!row.role) throw new ForbiddenError("You are not a member of this business");
    if (row.status === "suspended") throw new ForbiddenError("This business is suspended");

    const access: TenantAccess = {
      businessId: Number(row.id),
      tenantKey: row.tenant_key!,
      slug: row.slug!,
      status: row.status!,
      role: row.role,
      permissions: row.permissions ?? [],
      requestsPerMinute: row.requests_per_minute,
    };
    const scope: TenantScope = { kind: "tenant", businessId: access.businessId, userId: request.userId, db, jobs: tenantJobs(jobs, db, access.businessId) };
    return withContext({ tenantId: access.businessId, userId: request.userId }, () => fn(scope, access));
  });
}
