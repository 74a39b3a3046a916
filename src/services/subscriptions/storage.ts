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
import { effectivePlan } from "./limits.ts";

const METRIC = "storage_bytes";
/** One counter for the business's lifetime: the period starts at the epoch. */
const LIFETIME = new Date(0);

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export async function storageUsed(scope: TenantScope): Promise<number> {
  const [row] = await scope.db
    .select({ value: usageCounters.value })
    .from(usageCounters)
    .where(and(eq(usageCounters.businessId, scope.businessId), eq(usageCounters.metric, METRIC), eq(usageCounters.periodStart, LIFETIME)));
  return row?.value ?? 0;
}

/** Counts `bytes` against the plan's storage allowance, or refuses without counting. */
export async function reserveStorage(scope: TenantScope, bytes: number, now = new Date()): Promise<{ used: number; allowed: number | null }> {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new TypeError("reserveStorage needs a non-negative whole number of bytes");
  // Concurrent uploads would each see room for themselves: serialise them per business until commit.
  await scope.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`plan-limit:storage:${scope.businessId}`}, 0))`);
  const plan = await effectivePlan(scope.db, scope.businessId, now);
  const used = await storageUsed(scope);
  if (plan.storageBytes !== null && used + bytes > plan.storageBytes) {
    throw new LimitExceededError(
      `Storage limit reached: the ${plan.name} plan allows ${megabytes(plan.storageBytes)}; this business uses ${megabytes(used)} and this upload needs ${megabytes(bytes)}`,
      "storage",
    );
  }
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
  await scope.db
    .update(usageCounters)
    .set({ value: sql`greatest(${usageCounters.value} - ${bytes}, 0)` })
    .where(and(eq(usageCounters.businessId, scope.businessId), eq(usageCounters.metric, METRIC), eq(usageCounters.periodStart, LIFETIME)));
}
