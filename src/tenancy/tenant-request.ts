/**
 * The access check of a tenant request. Its query is the first of the request's
 * transaction, so it travels with BEGIN and the signed context in one round
 * trip: is the session live, does the business exist and is it open, is the
 * caller a member (with which role and permissions), and what is the effective
 * It reads the business through app.current_tenant_id(), so a context the
 * database did not accept finds nothing. (The request rate is decided before
 * the transaction opens: src/tenancy/admission.ts.)
 */
import { ForbiddenError, NotFoundError, UnauthorizedError } from "../lib/errors.ts";
import type { ScopedConnection } from "./transaction.ts";

export type MemberRole = "owner" | "manager" | "staff";

export interface TenantAccess {
  readonly businessId: number;
  readonly tenantKey: string;
  readonly slug: string;
  readonly status: "pending" | "active" | "suspended" | "closed";
  readonly role: MemberRole;
  readonly permissions: readonly string[];
}

export interface TenantRequest {
  /** tenantKey (uuid) or slug, as the client sent it. */
  tenantRef: string;
  userId: number;
  sessionId: string;
  readOnly?: boolean;
}

interface AccessRow {
  id: string | null;
  tenant_key: string | null;
  slug: string | null;
  status: TenantAccess["status"] | null;
  deleted: boolean | null;
  role: MemberRole | null;
  permissions: string[] | null;
  session_active: boolean;
}

export async function readTenantAccess(conn: ScopedConnection, request: TenantRequest): Promise<TenantAccess> {
  const [row] = await conn<AccessRow[]>`
    select t.id, t.tenant_key, t.slug, t.status, t.deleted_at is not null as deleted, a.role, a.permissions,
           app.session_is_active(${request.sessionId}::uuid, ${request.userId}::bigint) as session_active
      from (select app.current_tenant_id() as tenant_id) ctx
      left join public.business_tenants t on t.id = ctx.tenant_id
      left join public.business_access a on a.business_id = t.id and a.user_id = ${request.userId}`;
  if (!row?.session_active) throw new UnauthorizedError("Your session has ended; sign in again");
  // No row: the business was purged since its tenantKey or slug was resolved.
  if (!row.id || row.deleted || row.status === "closed") throw new NotFoundError("Business not found");
  if (!row.role) throw new ForbiddenError("You are not a member of this business");
  if (row.status === "suspended") throw new ForbiddenError("This business is suspended");
  return {
    businessId: Number(row.id),
    tenantKey: row.tenant_key!,
    slug: row.slug!,
    status: row.status!,
    role: row.role,
    permissions: row.permissions ?? [],
  };
}
