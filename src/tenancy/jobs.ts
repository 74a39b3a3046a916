/**
 * `scope.jobs`: background jobs queued inside the scope's own transaction, so a
 * job exists if and only if the work that queued it commits (pg-boss inserts it
 * on the scope's connection). The handle is bound to the scope: a tenant scope
 * queues for its own business only, and the database checks that too
 * (sql/030_jobs.sql), whatever SQL reaches the connection.
 *
 * What a job type is, and how it is checked and lined up, lives in src/jobs/
 * (the JobEnqueuer deps.ts hands to createScopes); this file only binds it.
 */
import type { ScopedDb } from "./transaction.ts";

export interface SendOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /**
   * Makes the send idempotent: one job per (business, type, key) for as long as
   * that job is kept (7 days after it completes). A second send with the same key
   * queues nothing and returns the first job's id. For work that should run again
   * on every change (re-indexing), leave it out or put the version in the key.
   */
  key?: string;
}

/** Who is queueing: the database allows each a different set of jobs. */
export type EnqueueAs = "tenant" | "customer" | "admin";

export interface EnqueueRequest {
  tenantId: number;
  type: string;
  data: unknown;
  options?: SendOptions;
}

export interface JobEnqueuer {
  /** Queues `jobs` on `db` (the caller's open transaction); returns their ids in order. */
  enqueue(db: ScopedDb, as: EnqueueAs, jobs: EnqueueRequest[]): Promise<string[]>;
}

/** A tenant scope's jobs: always for the scope's own business. */
export interface TenantJobs {
  send(type: string, data: unknown, options?: SendOptions): Promise<string>;
  /** Many jobs of one type in one statement (and one look at the line). */
  sendMany(type: string, items: unknown[], options?: Omit<SendOptions, "key">): Promise<string[]>;
}

/** A customer scope's jobs: about the caller's own booking or order with one business. */
export interface CustomerJobs {
  forBusiness(businessId: number): { send(type: string, data: unknown, options?: SendOptions): Promise<string> };
}

export function tenantJobs(enqueuer: JobEnqueuer, db: ScopedDb, businessId: number): TenantJobs {
  return {
    async send(type, data, options) {
      const [id] = await enqueuer.enqueue(db, "tenant", [{ tenantId: businessId, type, data, options }]);
      return id!;
    },
    sendMany(type, items, options) {
      return enqueuer.enqueue(db, "tenant", items.map((data) => ({ tenantId: businessId, type, data, options })));
    },
  };
}

export function customerJobs(enqueuer: JobEnqueuer, db: ScopedDb): CustomerJobs {
  return {
    forBusiness(businessId) {
      return {
        async send(type, data, options) {
          const [id] = await enqueuer.enqueue(db, "customer", [{ tenantId: businessId, type, data, options }]);
          return id!;
        },
      };
    },
  };
}

/** For platform work on the super-admin scope that hands work to businesses (fan-out). */
export function adminJobs(enqueuer: JobEnqueuer, db: ScopedDb) {
  return {
    /** The same job for each of these businesses (one or many), queued in one insert. */
    send(businessIds: readonly number[], type: string, data: unknown, options?: SendOptions): Promise<string[]> {
      return enqueuer.enqueue(db, "admin", businessIds.map((businessId) => ({ tenantId: businessId, type, data, options })));
    },
  };
}
