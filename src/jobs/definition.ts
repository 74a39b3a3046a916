/**
 * A job type: its name, the shape of its data, its retry policy and its
 * handler. Tenant types run inside asTenant(tenantId): RLS bounds every query
 * the handler makes. Platform types (named `platform.*`) run on the super-admin
 * scope. Handlers must be safe to run twice (a worker can die after the effect
 * and before the job is marked done): record each effect with recordEffect()
 * (src/services/jobs/effects.ts) in the same transaction as the effect.
 */
import type { Logger } from "pino";
import type { z } from "zod";
import type { Mailer } from "../lib/mailer.ts";
import type { AdminScope, TenantScope } from "../tenancy/scopes.ts";

export interface JobPolicy {
  retryLimit?: number;
  /** Seconds before the first retry; doubled (with jitter) for each later one when retryBackoff. */
  retryDelay?: number;
  retryBackoff?: boolean;
  retryDelayMax?: number;
  /** How long one run may take before the job counts as lost and is retried. */
  expireInSeconds?: number;
}

const POLICY_KEYS = new Set(["retryLimit", "retryDelay", "retryBackoff", "retryDelayMax", "expireInSeconds"]);

/**
 * A policy as pg-boss's send and schedule options: what every queueing of the
 * type carries (the queue's defaults for what it leaves out). Only the keys the
 * policy sets: pg-boss checks `'retryBackoff' in options`, so an undefined one fails.
 */
export const policyOptions = (policy: JobPolicy = {}): JobPolicy =>
  Object.fromEntries(Object.entries(policy).filter(([key, value]) => POLICY_KEYS.has(key) && value !== undefined));

export interface JobInfo {
  id: string;
  type: string;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  requestId: string;
  /** Set when this run is the dead-letter copy of a job whose retries ran out. */
  deadLetterOf?: string;
}

/** What every handler may use besides its scope. */
export interface JobRuntime {
  mailer: Mailer;
  /** The address e-mails come from; the business's name is the sender name. */
  mailFrom: string;
  /** Minutes an unpaid pending order holds its stock. */
  orderHoldMinutes: number;
  /**
   * The files feature's sweep of stored objects no file row points at (src/jobs/handlers/platform-orphan-file-sweep.ts).
   * It opens its own transactions, so it takes no runner. A runtime without it (some tests) does not schedule the sweep.
   */
  orphanFileSweep?: (log: Logger) => Promise<{ deleted: number }>;
}

export interface TenantJobContext<D> {
  scope: TenantScope;
  data: D;
  job: JobInfo;
  log: Logger;
  runtime: JobRuntime;
}

export type AdminRunner = <T>(fn: (scope: AdminScope) => Promise<T>) => Promise<T>;

export interface PlatformJobContext<D> {
  /**
   * Opens a super-admin transaction; a sweep opens one per business so one failure does not undo the rest.
   * Fan-out queues the businesses' jobs with that scope's `jobs.send(businessIds, ...)`, in the same transaction.
   */
  admin: AdminRunner;
  data: D;
  job: JobInfo;
  log: Logger;
  runtime: JobRuntime;
}

export interface TenantJobDefinition<D = unknown> {
  kind: "tenant";
  type: string;
  data: z.ZodType<D>;
  policy?: JobPolicy;
  /**
   * Customers may queue it about their own booking or order with a business
   * (app.customer_may_enqueue in sql/030_jobs.sql must know the type too).
   */
  customerMay?: boolean;
  run(ctx: TenantJobContext<D>): Promise<void>;
  /** Runs, under the same business, when the job's retries ran out. */
  onDeadLetter?(ctx: TenantJobContext<D> & { error: string }): Promise<void>;
}

export interface PlatformJobDefinition<D = unknown> {
  kind: "platform";
  type: `platform.${string}`;
  data: z.ZodType<D>;
  policy?: JobPolicy;
  /** A cron expression (UTC): the worker keeps one schedule per type. */
  schedule?: string;
  /** When false the type is not scheduled (a hook whose feature is not wired yet). */
  scheduledWhen?: (runtime: JobRuntime) => boolean;
  run(ctx: PlatformJobContext<D>): Promise<void>;
}

export type JobDefinition = TenantJobDefinition<any> | PlatformJobDefinition<any>;

export const defineTenantJob = <D>(definition: Omit<TenantJobDefinition<D>, "kind">): TenantJobDefinition<D> => ({ kind: "tenant", ...definition });
export const definePlatformJob = <D>(definition: Omit<PlatformJobDefinition<D>, "kind">): PlatformJobDefinition<D> => ({ kind: "platform", ...definition });
