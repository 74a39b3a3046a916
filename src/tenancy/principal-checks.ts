/**
 * Does the token's session still stand? Each procedure builder asks in the first
 * query of its own scope, so the check costs no extra round trip.
 */
import { sql } from "drizzle-orm";
import { ForbiddenError, UnauthorizedError } from "../lib/errors.ts";
import type { AccessClaims } from "../lib/tokens.ts";
import { rows } from "./rows.ts";
import type { AdminScope, CustomerScope, PlatformScope } from "./scopes.ts";

export interface SessionUser {
  userId: number;
  sessionId: string;
  isSuperAdmin: boolean;
}

const ended = () => new UnauthorizedError("Your session has ended; sign in again");

export async function checkPlatformSession(scope: PlatformScope, claims: AccessClaims): Promise<SessionUser> {
  const [row] = await rows<{ is_super_admin: boolean }>(scope.db, sql`
    select u.is_super_admin from public.sessions s join public.users u on u.id = s.user_id
     where s.id = ${claims.sessionId}::uuid and s.user_id = ${claims.userId}
       and s.revoked_at is null and s.expires_at > now()`);
  if (!row) throw ended();
  return { userId: claims.userId, sessionId: claims.sessionId, isSuperAdmin: row.is_super_admin };
}

export async function checkCustomerSession(scope: CustomerScope, claims: AccessClaims): Promise<SessionUser> {
  const [row] = await rows<{ active: boolean }>(scope.db, sql`select app.session_is_active(${claims.sessionId}::uuid, ${claims.userId}::bigint) as active`);
  if (!row?.active) throw ended();
  return { userId: claims.userId, sessionId: claims.sessionId, isSuperAdmin: false };
}

export async function checkSuperAdmin(scope: AdminScope, claims: AccessClaims): Promise<SessionUser> {
  const [row] = await rows<{ active: boolean; is_super_admin: boolean }>(scope.db, sql`
    select app.session_is_active(${claims.sessionId}::uuid, ${claims.userId}::bigint) as active,
           coalesce((select is_super_admin from public.users where id = ${claims.userId}), false) as is_super_admin`);
  if (!row?.active) throw ended();
  if (!row.is_super_admin) throw new ForbiddenError("Only platform super admins may do this");
  return { userId: claims.userId, sessionId: claims.sessionId, isSuperAdmin: true };
}
