/**
 * The one place a transaction's context reaches PostgreSQL. Every statement that
 * sets `app.context` is built here: signed (src/lib/context-signature.ts) for the
 * login role of the pool it runs on, transaction-local (`set_config(..., true)`),
 * and short-lived. It is read only through app_private.verified_ids(), which
 * verifies the signature: policies call it through app.current_tenant_id() and
 * app.current_user_id(), the access check and user_id_for_email directly
 * (sql/002_functions.sql, 007_marketplace.sql, 010_tenant_requests.sql).
 */
import type postgres from "postgres";
import type { DbRoleKind, RoleNames } from "../db/roles.ts";
import { contextSigner } from "../lib/context-signature.ts";

export type ReservedConnection = postgres.ReservedSql;
/** Anything that runs a tagged query: the reserved connection, or a scope's guarded one. */
type Runs = (strings: TemplateStringsArray, ...args: never[]) => postgres.PendingQuery<postgres.Row[]>;
export type ContextStatement = (conn: Runs) => postgres.PendingQuery<postgres.Row[]>;

/**
 * How long a signed context stays valid, measured against the transaction's start
 * in the database. It only has to cover the moment between signing and BEGIN (and
 * clock skew); its point is that a context seen once cannot be replayed later.
 */
export const CONTEXT_TTL_SECONDS = 60;

export interface ContextConfig {
  /** The key the database holds a copy of (CONTEXT_SIGNING_KEY, or the database's own). */
  key: string;
  /** The login role of each pool: a context is signed for the role it is used on. */
  roles: RoleNames;
  now?: () => number;
}

export function createContextStatements(config: ContextConfig) {
  const sign = contextSigner(config.key);
  const now = config.now ?? Date.now;
  const signed = (kind: DbRoleKind, tenantId: number | undefined, userId: number | undefined) =>
    sign({ role: config.roles[kind], tenantId, userId, expiresAt: Math.floor(now() / 1000) + CONTEXT_TTL_SECONDS });

  /** A statement that sets the context for one transaction on a `kind` connection. */
  const statement =
    (kind: DbRoleKind, tenantId?: number, userId?: number): ContextStatement =>
    (conn) =>
      conn`select set_config('app.context', ${signed(kind, tenantId, userId) as never}, true)`;

  return {
    tenant: (businessId: number, userId?: number) => statement("app", businessId, userId),
    customer: (userId: number) => statement("customer", undefined, userId),
    admin: (userId?: number) => statement("admin", undefined, userId),
  };
}

export type ContextStatements = ReturnType<typeof createContextStatements>;
