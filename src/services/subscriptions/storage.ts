/**
 * The storage allowance: bytes a business keeps, counted for its whole life (not
 * per month) in usage_counters under metric `storage_bytes`. File uploads reserve
 * before they write and release when a file is deleted; past the plan's
 * allowance the upload is refused (PAYLOAD_TOO_LARGE) and nothing is counted.
 */
import { and, eq, sql } from "drizzle-orm";
import { usageCounters } from "../../db/schema/index.ts";
import { LimitExceededError } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { ScopedDb } from "../../tenancy/transaction.ts";
import { effectivePlan } from "./limits.ts";
import type { Plan } from "./plans.ts";

const METRIC = "storage_bytes";
/** One counter for the business's lifetime: the period starts at the epoch. */
const LIFETIME = new Date(0);
/** The counter's key columns, for code that resets it on the super-admin role (deleting every file of a business). */
export const STORAGE_COUNTER = { metric: METRIC, periodStart: LIFETIME } as const;

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** The bytes counted for this business. */
export async function storageUsed(scope: TenantScope): Promise<number> {
  const [row] = await scope.db
    .select({ value: usageCounters.value })
    .from(usageCounters)
    .where(and(eq(usageCounters.businessId, scope.businessId), eq(usageCounters.metric, METRIC), eq(usageCounters.periodStart, LIFETIME)));
  return row?.value ?? 0;
}

/**
 * Serialises everything that changes this business's storage counter, until commit:
 * reservations (concurrent uploads would each see room for themselves), releases and
 * the orphan sweep (which recounts the files while no upload or deletion can commit).
 */
export async function lockStorage(scope: { db: ScopedDb; businessId: number }): Promise<void> {
  await scope.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`plan-limit:storage:${scope.businessId}`}, 0))`);
}

function assertRoom(plan: Plan, used: number, bytes: number): void {
  if (plan.storageBytes !== null && used + bytes > plan.storageBytes) {
    throw new LimitExceededError(
      `Storage limit reached: the ${plan.name} plan allows ${megabytes(plan.storageBytes)}; this business uses ${megabytes(used)} and this upload needs ${megabytes(bytes)}`,
      "storage",
    );
  }
}

/**
 * The same refusal as reserveStorage, without the lock or the count: an upload asks
 * this before writing its blob, so a business already at its limit costs no write.
 * Only reserveStorage's answer is binding (concurrent uploads all pass this check).
 */
export async function checkStorageRoom(scope: TenantScope, bytes: number, now = new Date()): Promise<void> {
  const [plan, used] = await Promise.all([effectivePlan(scope.db, scope.businessId, now), storageUsed(scope)]);
  assertRoom(plan, used, bytes);
}

/** What the business stores and what its plan allows (null: unlimited), without locking. */
export async function storageUsage(scope: TenantScope, now = new Date()): Promise<{ usedBytes: number; limitBytes: number | null }> {
  const [plan, used] = await Promise.all([effectivePlan(scope.db, scope.businessId, now), storageUsed(scope)]);
  return { usedBytes: used, limitBytes: plan.storageBytes };
}

/** Sets the counter to `bytes` (the orphan sweep's recount); the caller holds lockStorage. */
export async function setStorageUsed(scope: TenantScope, bytes: number): Promise<void> {
  await scope.db
    .insert(usageCounters)
    .values({ businessId: scope.businessId, metric: METRIC, periodStart: LIFETIME, value: bytes })
    .onConflictDoUpdate({ target: [usageCounters.businessId, usageCounters.metric, usageCounters.periodStart], set: { value: bytes } });
}

/** Counts `bytes` against the plan's storage allowance, or refuses without counting. */
export async function reserveStorage(scope: TenantScope, bytes: number, now = new Date()): Promise<{ used: number; allowed: number | null }> {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new TypeError("reserveStorage needs a non-negative whole number of bytes");
  await lockStorage(scope);
  const plan = await effectivePlan(scope.db, scope.businessId, now);
  const used = await storageUsed(scope);
  assertRoom(plan, used, bytes);
  await scope.db
    .insert(usageCounters)
    .values({ businessId: scope.businessId, metric: METRIC, periodStart: LIFETIME, value: bytes })
    .onConflictDoUpdate({
      target: [usageCounters.businessId, usageCounters.metric, usageCounters.periodStart],
      set: { value: sql`${usageCounters.value} + ${bytes}` },
    });
  return { used: used + bytes, allowed: plan.storageBytes };
}

/** Gives back `bytes` (a deleted file); never below zero. */
export async function releaseStorage(scope: TenantScope, bytes: number): Promise<void> {
  await lockStorage(scope);
  await scope.db
    .update(usageCounters)
    .set({ value: sql`greatest(${usageCounters.value} - ${bytes}, 0)` })
    .where(and(eq(usageCounters.businessId, scope.businessId), eq(usageCounters.metric, METRIC), eq(usageCounters.periodStart, LIFETIME)));
}
