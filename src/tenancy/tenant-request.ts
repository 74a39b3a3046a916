/**
 * The access check of a tenant request: is the session live, does the business
 * exist and is it open, is the caller a member, and may its role do what the
 * procedure does. It is one statement, app.tenant_request_access (sql/010),
 * that fails when access is refused, so it can travel with BEGIN and the signed
 * context in the first round trip and the request's own read right behind it:
 * a refused request aborts its transaction before that read runs. It takes the
 * business and the user from the verified context (app_private.verified_ids()),
 * so a context the database did not accept is refused as a signed-out session
 * (TA401). (The request rate is decided before the transaction
 * opens: src/tenancy/admission.ts.)
 */
import type { MemberRole, TenantStatus } from "../db/schema/enums.ts";
import { DomainError, ForbiddenError, NotFoundError, UnauthorizedError, postgresErrorOf } from "../lib/errors.ts";
import type { ScopedConnection } from "./transaction.ts";

export type { MemberRole };

export interface TenantAccess {
  readonly businessId: number;
  readonly tenantKey: string;
  readonly slug: string;
  readonly status: TenantStatus;
  readonly role: MemberRole;
  readonly permissions: readonly string[];
}

/** What a procedure requires of the caller beyond membership. */
export interface AccessRequirement {
  /** A permission the caller's role must hold (owners hold every one). */
  permission?: string;
  ownerOnly?: boolean;
  /**
   * Wait for the access check before the procedure runs, even for a read. A
   * database read may ride behind the check (a refusal aborts the transaction
   * before it runs); work outside PostgreSQL (a search) cannot, so a refused
   * caller must never reach it.
   */
  accessFirst?: boolean;
}

export interface TenantRequest extends AccessRequirement {
  userId: number;
  sessionId: string;
  readOnly?: boolean;
}

interface AccessRow {
  tenant_key: string;
  slug: string;
  status: TenantAccess["status"];
  role: MemberRole;
  permissions: string[] | null;
}

const REFUSALS: Record<string, new (message: string) => DomainError> = { TA401: UnauthorizedError, TA403: ForbiddenError, TA404: NotFoundError };

/** The refusal app.tenant_request_access raised, as the domain error it stands for (its message is ours, from sql/010). */
function refusal(error: unknown): unknown {
  const pg = postgresErrorOf(error) as { code: string; message?: string } | undefined;
  const Refusal = pg && REFUSALS[pg.code];
  return Refusal ? new Refusal(pg.message ?? "Access refused") : error;
}

export async function readTenantAccess(conn: ScopedConnection, businessId: number, request: TenantRequest): Promise<TenantAccess> {
  let rows: AccessRow[];
  try {
    rows = await conn<AccessRow[]>`select tenant_key, slug, status, role, permissions
      from app.tenant_request_access(${request.sessionId}::uuid, ${request.userId}::bigint, ${request.permission ?? null}::text, ${!!request.ownerOnly})`;
  } catch (error) {
    throw refusal(error);
  }
  const row = rows[0]!;
  return { businessId, tenantKey: row.tenant_key, slug: row.slug, status: row.status, role: row.role, permissions: row.permissions ?? [] };
}
