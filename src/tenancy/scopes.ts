/**
 * The scoped handles procedures, jobs and the CLI work with. Each opens one
 * transaction on the pool of its login role with its context set, and runs
 * `fn` with the request context (AsyncLocalStorage) carrying the same ids.
 *
 * A scope is the one thing a procedure gets: new capabilities (cache, files,
 * search) are added here as fields, already bound to the scope's tenant.
 */
import { sql } from "drizzle-orm";
import type { Pools } from "../db/client.ts";
import { customerJobs, noJobs, tenantJobs, type CustomerJobs, type JobEnqueuer, type TenantJobs } from "./jobs.ts";
import { withContext } from "./request-context.ts";
import { inTransaction, setContext, type ScopedDb, type TransactionOptions } from "./transaction.ts";

export interface TenantScope {
  readonly kind: "tenant";
  readonly businessId: number;
  readonly userId?: number;
  readonly db: ScopedDb;
  readonly jobs: TenantJobs;
}

export interface CustomerScope {
  readonly kind: "customer";
  readonly userId: number;
  readonly db: ScopedDb;
  readonly jobs: CustomerJobs;
}

export interface AdminScope {
  readonly kind: "admin";
  readonly userId?: number;
  readonly db: ScopedDb;
}

/** Work before anyone is known: sign-in, token refresh, the public directory. */
export interface PlatformScope {
  readonly kind: "platform";
  readonly db: ScopedDb;
}

export interface ScopeOptions extends TransactionOptions {
  userId?: number;
}

export function createScopes(pools: Pools, jobs: JobEnqueuer = noJobs) {
  return {
    /** What `scope.jobs` queues through; for builders that make a TenantScope themselves (openTenantRequest). */
    enqueuer: jobs,

    /** Runs fn as business `businessId`: RLS shows that business's rows and no other. */
    asTenant<T>(businessId: number, fn: (scope: TenantScope) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
      if (!Number.isSafeInteger(businessId) || businessId <= 0) throw new TypeError("asTenant needs a positive integer business id");
      const { userId } = options;
      return withContext({ tenantId: businessId, userId }, () =>
        inTransaction(pools.app, setContext(businessId, userId), options, (db) => fn({ kind: "tenant", businessId, userId, db, jobs: tenantJobs(jobs, db, businessId) })),
      );
    },

    /**
     * Runs fn as a business that does not exist yet: the first statement takes
     * the next business id from its sequence and makes it the transaction's
     * tenant, so provisioning writes every row under RLS like any tenant.
     */
    asNewTenant<T>(userId: number, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
      return inTransaction(pools.app, setContext(undefined, userId), {}, async (db) => {
        const [row] = (await db.execute(
          sql`select set_config('app.current_tenant_id', nextval(pg_get_serial_sequence('public.business_tenants', 'id'))::text, true) as id`,
        )) as unknown as { id: string }[];
        const businessId = Number(row!.id);
        return withContext({ tenantId: businessId, userId }, () => fn({ kind: "tenant", businessId, userId, db, jobs: tenantJobs(jobs, db, businessId) }));
      });
    },

    /** Runs fn as platform user `userId` shopping across businesses: only its own rows. */
    asCustomer<T>(userId: number, fn: (scope: CustomerScope) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      if (!Number.isSafeInteger(userId) || userId <= 0) throw new TypeError("asCustomer needs a positive integer user id");
      return withContext({ userId, tenantId: undefined }, () =>
        inTransaction(pools.customer, setContext(undefined, userId), options, (db) => fn({ kind: "customer", userId, db, jobs: customerJobs(jobs, db) })),
      );
    },

    /** Runs fn on the super-admin role's own pool; callers must have checked the principal. */
    asSuperAdmin<T>(fn: (scope: AdminScope) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
      const { userId } = options;
      return withContext({ userId, tenantId: undefined }, () =>
        inTransaction(pools.admin, setContext(undefined, userId), options, (db) => fn({ kind: "admin", userId, db })),
      );
    },

    /** Runs fn on the platform role: users and sessions, no tenant data. */
    asPlatform<T>(fn: (scope: PlatformScope) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return inTransaction(pools.platform, null, options, (db) => fn({ kind: "platform", db }));
    },
  };
}

export type Scopes = ReturnType<typeof createScopes>;
