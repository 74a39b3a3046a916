/**
 * The scoped handles procedures, jobs and the CLI work with, and the only doors
 * into a transaction. Each opens one transaction on the pool of its login role
 * with its signed context set (src/tenancy/db-context.ts), and runs `fn` with
 * the request context (AsyncLocalStorage) carrying the same ids.
 *
 * A scope is the one thing a procedure gets: new capabilities (cache, files,
 * search) are added here as fields, already bound to the scope's tenant.
 */
import { sql } from "drizzle-orm";
import type { Pools } from "../db/client.ts";
import { NotFoundError } from "../lib/errors.ts";
import type { ContextStatements } from "./db-context.ts";
import type { FileStorage, TenantFiles } from "./files.ts";
import { withContext } from "./request-context.ts";
import { readTenantAccess, StaleTenantRef, type TenantAccess, type TenantRequest } from "./tenant-request.ts";
import { createTenantResolver } from "./tenant-resolver.ts";
import { inTransaction, type ScopedDb, type TransactionOptions } from "./transaction.ts";

export interface TenantScope {
  readonly kind: "tenant";
  readonly businessId: number;
  readonly userId?: number;
  readonly db: ScopedDb;
  /** This business's files (src/tenancy/files.ts): the only way to a blob. */
  readonly files: TenantFiles;
}

export interface CustomerScope {
  readonly kind: "customer";
  readonly userId: number;
  readonly db: ScopedDb;
}

export interface AdminScope {
  readonly kind: "admin";
  readonly userId?: number;
  readonly db: ScopedDb;
  /** Every business's files, like the admin role's rows (archive and delete on purge). */
  readonly files: FileStorage;
}

/** Work before anyone is known: sign-in, token refresh, the public directory. */
export interface PlatformScope {
  readonly kind: "platform";
  readonly db: ScopedDb;
}

export interface ScopeOptions extends TransactionOptions {
  userId?: number;
}

const positive = (value: number, what: string) => {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${what} must be a positive integer`);
};

/** What scopes are built from besides the pools: how contexts are signed, and each store a scope carries. */
export interface ScopeServices {
  contexts: ContextStatements;
  files: FileStorage;
}

export function createScopes(pools: Pools, { contexts, files }: ScopeServices) {
  /** A tenant scope over an open transaction: every store bound to `businessId`. */
  const tenantScope = (businessId: number, userId: number | undefined, db: ScopedDb): TenantScope => ({
    kind: "tenant",
    businessId,
    userId,
    db,
    files: files.forTenant(businessId),
  });

  const asPlatform = <T>(fn: (scope: PlatformScope) => Promise<T>, options: TransactionOptions = {}): Promise<T> =>
    inTransaction(pools.platform, null, options, (db) => fn({ kind: "platform", db }));

  const tenants = createTenantResolver(async (ref) => {
    const [row] = await asPlatform((s) => s.db.execute<{ id: string | null }>(sql`select app.tenant_id_for_key(${ref}) as id`), { readOnly: true });
    return row?.id == null ? null : Number(row.id);
  });

  /** One tenant request: the access check rides in the first round trip, then fn runs in the same transaction. */
  const openTenantRequest = <T>(businessId: number, request: TenantRequest, fn: (scope: TenantScope, access: TenantAccess) => Promise<T>) =>
    withContext({ tenantId: businessId, userId: request.userId }, () =>
      inTransaction(pools.app, contexts.tenant(businessId, request.userId), request, async (db, conn) => {
        const access = await readTenantAccess(conn, request);
        return fn(tenantScope(businessId, request.userId, db), access);
      }),
    );

  return {
    /** Runs fn as business `businessId`: RLS shows that business's rows and no other. */
    asTenant<T>(businessId: number, fn: (scope: TenantScope) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
      positive(businessId, "asTenant's business id");
      const { userId } = options;
      return withContext({ tenantId: businessId, userId }, () =>
        inTransaction(pools.app, contexts.tenant(businessId, userId), options, (db) => fn(tenantScope(businessId, userId, db))),
      );
    },

    /**
     * A request naming its business by tenantKey or slug: resolves it, checks the
     * session, the business's status and the caller's membership in the first
     * round trip, then runs fn in that business's transaction. A business that
     * was purged since its ref was resolved is looked up once more.
     */
    async forTenantRequest<T>(request: TenantRequest, fn: (scope: TenantScope, access: TenantAccess) => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const businessId = await tenants.resolve(request.tenantRef);
        if (businessId === null) throw new NotFoundError("Business not found");
        try {
          return await openTenantRequest(businessId, request, fn);
        } catch (error) {
          if (!(error instanceof StaleTenantRef) || attempt > 0) throw error;
          tenants.forget(request.tenantRef);
        }
      }
    },

    /**
     * Runs fn as a business that does not exist yet: the first statement takes
     * the next business id from its sequence, the second makes it the
     * transaction's signed tenant, so provisioning writes every row under RLS.
     */
    asNewTenant<T>(userId: number, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
      positive(userId, "asNewTenant's user id");
      return inTransaction(pools.app, null, {}, async (db, conn) => {
        const [row] = await conn<{ id: string }[]>`select nextval(pg_get_serial_sequence('public.business_tenants', 'id'))::bigint as id`;
        const businessId = Number(row!.id);
        await contexts.tenant(businessId, userId)(conn as never);
        return withContext({ tenantId: businessId, userId }, () => fn(tenantScope(businessId, userId, db)));
      });
    },

    /** Runs fn as platform user `userId` shopping across businesses: only its own rows. */
    asCustomer<T>(userId: number, fn: (scope: CustomerScope) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      positive(userId, "asCustomer's user id");
      return withContext({ userId, tenantId: undefined }, () =>
        inTransaction(pools.customer, contexts.customer(userId), options, (db) => fn({ kind: "customer", userId, db })),
      );
    },

    /** Runs fn on the super-admin role's own pool; callers must have checked the principal. */
    asSuperAdmin<T>(fn: (scope: AdminScope) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
      const { userId } = options;
      return withContext({ userId, tenantId: undefined }, () =>
        inTransaction(pools.admin, contexts.admin(userId), options, (db) => fn({ kind: "admin", userId, db, files })),
      );
    },

    /** Runs fn on the platform role: users and sessions, no tenant data. */
    asPlatform,

    /**
     * Does the database accept this process's signed context? It does not when
     * CONTEXT_SIGNING_KEY differs from its copy or the clocks differ by more than
     * the context's lifetime; every scope would then see nothing, so start-up
     * stops instead (src/index.ts).
     */
    async contextIsAccepted(): Promise<boolean> {
      const probeUser = 1;
      const [row] = await inTransaction(pools.admin, contexts.admin(probeUser), { readOnly: true }, (db) =>
        db.execute<{ id: string | null }>(sql`select app.current_user_id() as id`),
      );
      return Number(row?.id) === probeUser;
    },
  };
}

export type Scopes = ReturnType<typeof createScopes>;
