/**
 * The scoped handles procedures, jobs and the CLI work with, and the only doors
 * into a transaction. Each opens one transaction on the pool of its login role
 * with its signed context set (src/tenancy/db-context.ts), and runs `fn` with
 * the request context (AsyncLocalStorage) carrying the same ids.
 *
 * A scope is the one thing a procedure gets: its stores (cache, files) are
 * fields already bound to the scope's tenant (or customer, or, for super
 * admins, every tenant). Cache invalidations a scope makes are repeated after
 * its COMMIT (src/tenancy/scope-cache.ts).
 */
import type { Pools } from "../db/client.ts";
import type { CacheService } from "./cache.ts";
import type { ContextStatements } from "./db-context.ts";
import type { FileStorage, TenantFiles } from "./files.ts";
import { adminJobs, customerJobs, tenantJobs, type CustomerJobs, type JobEnqueuer, type TenantJobs } from "./jobs.ts";
import { withContext } from "./request-context.ts";
import { withScopeCache, type AdminCache, type CacheBinder, type ScopeCache } from "./scope-cache.ts";
import { createSearch, type DirectorySearch, type SearchService, type TenantSearch } from "./search.ts";
import { readTenantAccess, type TenantAccess, type TenantRequest } from "./tenant-request.ts";
import { inTransaction, type ScopedConnection, type ScopedDb, type TransactionOptions } from "./transaction.ts";

export interface TenantScope {
  readonly kind: "tenant";
  readonly businessId: number;
  readonly userId?: number;
  readonly db: ScopedDb;
  readonly cache: ScopeCache;
  /** This business's files (src/tenancy/files.ts): the only way to a blob. */
  readonly files: TenantFiles;
  /** Background jobs for this business, queued in this transaction (src/tenancy/jobs.ts). */
  readonly jobs: TenantJobs;
  /** This business's search: queries filtered to it, its documents, its tokens (src/tenancy/search.ts). */
  readonly search: TenantSearch;
}

export interface CustomerScope {
  readonly kind: "customer";
  readonly userId: number;
  readonly db: ScopedDb;
  readonly cache: ScopeCache;
  /** Confirmations of the caller's own bookings and orders, queued in this transaction. */
  readonly jobs: CustomerJobs;
}

export interface AdminScope {
  readonly kind: "admin";
  readonly userId?: number;
  readonly db: ScopedDb;
  readonly cache: AdminCache;
  /** Every business's files, like the admin role's rows (archive and delete on purge). */
  readonly files: FileStorage;
  /** Work for a business queued in this transaction (a lifecycle change re-indexing its listing, a purge's search clean-up). */
  readonly jobs: ReturnType<typeof adminJobs>;
}

/** Work before anyone is known: sign-in, token refresh, the public directory. */
export interface PlatformScope {
  readonly kind: "platform";
  readonly db: ScopedDb;
  /** The public directory's index. */
  readonly search: DirectorySearch;
}

export interface ScopeOptions extends TransactionOptions {
  userId?: number;
}

/** What scopes are built from besides the pools: how contexts are signed, and each store a scope carries. */
export interface ScopeServices {
  contexts: ContextStatements;
  files: FileStorage;
  cache: CacheService;
  jobs: JobEnqueuer;
  /** Search (src/tenancy/search.ts); without it every search call is SERVICE_UNAVAILABLE (a CLI that never searches). */
  search?: SearchService;
}

const positive = (value: number, what: string) => {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${what} must be a positive integer`);
};

export function createScopes(pools: Pools, { contexts, files, cache, jobs, search = createSearch({ indexPrefix: "unconfigured" }) }: ScopeServices) {
  /**
   * A tenant scope over an open transaction: every store bound to `businessId`.
   * Files, jobs and search are built when first used: most requests only read
   * through `db`, and every request builds a scope.
   */
  const tenantScope = (bind: CacheBinder, businessId: number, userId: number | undefined, db: ScopedDb): TenantScope => {
    let scopeFiles: TenantFiles | undefined, scopeJobs: TenantJobs | undefined, scopeSearch: TenantSearch | undefined;
    return {
      kind: "tenant",
      businessId,
      userId,
      db,
      cache: bind.tenant(businessId),
      get files() {
        return (scopeFiles ??= files.forTenant(businessId));
      },
      get jobs() {
        return (scopeJobs ??= tenantJobs(jobs, db, businessId));
      },
      get search() {
        return (scopeSearch ??= search.forTenant(businessId));
      },
    };
  };

  /** One transaction as business `businessId` (and `userId`, if any), its context signed for both. */
  const tenantTransaction = <T>(businessId: number, userId: number | undefined, options: TransactionOptions, fn: (scope: TenantScope, conn: ScopedConnection) => Promise<T>) =>
    withContext({ tenantId: businessId, userId }, () =>
      withScopeCache(cache, (bind) => inTransaction(pools.app, contexts.tenant(businessId, userId), options, (db, conn) => fn(tenantScope(bind, businessId, userId, db), conn))),
    );

  return {
    /** Runs fn as business `businessId`: RLS shows that business's rows and no other. */
    asTenant<T>(businessId: number, fn: (scope: TenantScope) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
      positive(businessId, "asTenant's business id");
      return tenantTransaction(businessId, options.userId, options, fn);
    },

    /**
     * One tenant request for business `businessId` (resolved from its tenantKey or
     * slug before any database work: src/tenancy/admission.ts). The access check
     * (session, the business's status, the caller's membership and permission)
     * rides in the first round trip with BEGIN and the context. A read-only
     * request does not wait for its answer: fn's first query is sent right behind
     * it, and is never run when access was refused (the failed check aborts the
     * transaction); the refusal is what the caller gets. A request that writes,
     * or whose work is not all in PostgreSQL (`accessFirst`), waits for the
     * answer before fn runs at all.
     */
    forTenantRequest<T>(businessId: number, request: TenantRequest, fn: (scope: TenantScope, access: Promise<TenantAccess>) => Promise<T>): Promise<T> {
      positive(businessId, "a tenant request's business id");
      return tenantTransaction(businessId, request.userId, request, async (scope, conn) => {
        const access = readTenantAccess(conn, businessId, request);
        if (!request.readOnly || request.accessFirst) return fn(scope, Promise.resolve(await access));
        access.catch(() => {}); // awaited below, after fn
        try {
          const value = await fn(scope, access);
          await access;
          return value;
        } catch (error) {
          await access; // a refusal outranks whatever fn threw
          throw error;
        }
      });
    },

    /**
     * Runs fn as a business that does not exist yet: the first statement takes
     * the next business id from its sequence, the second makes it the
     * transaction's signed tenant, so provisioning writes every row under RLS.
     */
    asNewTenant<T>(userId: number, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
      positive(userId, "asNewTenant's user id");
      return withScopeCache(cache, (bind) =>
        inTransaction(pools.app, null, {}, async (db, conn) => {
          const [row] = await conn<{ id: string }[]>`select nextval(pg_get_serial_sequence('public.business_tenants', 'id'))::bigint as id`;
          const businessId = Number(row!.id);
          await contexts.tenant(businessId, userId)(conn as never);
          return withContext({ tenantId: businessId, userId }, () => fn(tenantScope(bind, businessId, userId, db)));
        }),
      );
    },

    /** Runs fn as platform user `userId` shopping across businesses: only its own rows. */
    asCustomer<T>(userId: number, fn: (scope: CustomerScope) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      positive(userId, "asCustomer's user id");
      return withContext({ userId, tenantId: undefined }, () =>
        withScopeCache(cache, (bind) =>
          inTransaction(pools.customer, contexts.customer(userId), options, (db) => fn({ kind: "customer", userId, db, cache: bind.customer(userId), jobs: customerJobs(jobs, db) })),
        ),
      );
    },

    /** Runs fn on the super-admin role's own pool; callers must have checked the principal. */
    asSuperAdmin<T>(fn: (scope: AdminScope) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
      const { userId } = options;
      return withContext({ userId, tenantId: undefined }, () =>
        withScopeCache(cache, (bind) =>
          inTransaction(pools.admin, contexts.admin(userId), options, (db) => fn({ kind: "admin", userId, db, cache: bind.admin(), files, jobs: adminJobs(jobs, db) })),
        ),
      );
    },

    /** Runs fn on the platform role: users and sessions, no tenant data. */
    asPlatform<T>(fn: (scope: PlatformScope) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return inTransaction(pools.platform, null, options, (db) => fn({ kind: "platform", db, search: search.directory }));
    },

    /**
     * Does the database accept this process's signed context? It does not when
     * CONTEXT_SIGNING_KEY differs from its copy or the clocks differ by more than
     * the context's lifetime; every scope would then see nothing, so start-up
     * stops instead (src/index.ts).
     */
    async contextIsAccepted(): Promise<boolean> {
      const probeUser = 1;
      const [row] = await inTransaction(pools.admin, contexts.admin(probeUser), { readOnly: true }, (_db, conn) =>
        conn<{ id: string | null }[]>`select app.current_user_id()::text as id`,
      );
      return Number(row?.id) === probeUser;
    },
  };
}

export type Scopes = ReturnType<typeof createScopes>;
