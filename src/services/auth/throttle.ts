/**
 * Login throttling: after MAX failures within WINDOW for one e-mail (or a
 * larger number for one IP), further attempts are refused until LOCK passes,
 * even with the right password.
 */
import { inArray, sql } from "drizzle-orm";
import { authThrottle } from "../../db/schema/index.ts";
import { RateLimitedError } from "../../lib/errors.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";

export const THROTTLE = {
  windowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
  maxPerEmail: 5,
  maxPerIp: 30,
};

export function throttleKeys(email: string, ip: string | null): string[] {
  return ip ? [`email:${email}`, `ip:${ip}`] : [`email:${email}`];
}

export async function assertNotThrottled(scope: PlatformScope, keys: string[], now: Date): Promise<void> {
  const rows = await scope.db
    .select({ lockedUntil: authThrottle.lockedUntil })
    .from(authThrottle)
    .where(inArray(authThrottle.key, keys));
  const until = rows.map((r) => r.lockedUntil).filter((d): d is Date => !!d && new Date(d) > now);
  if (until.length) {
    const latest = Math.max(...until.map((d) => new Date(d).getTime()));
    const retryAfter = Math.ceil((latest - now.getTime()) / 1000);
    throw new RateLimitedError(`Too many failed sign-in attempts; try again in ${retryAfter} seconds`, retryAfter);
  }
}

export async function recordFailure(scope: PlatformScope, keys: string[], now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowSeconds * 1000).toISOString();
  const lockUntil = new Date(now.getTime() + THROTTLE.lockSeconds * 1000).toISOString();
  const nowIso = now.toISOString();
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? THROTTLE.maxPerIp : THROTTLE.maxPerEmail;
    // One statement per key: a window that has passed starts again at 1.
    await scope.db.execute(sql`
      insert into auth_throttle (key, failures, window_started_at) values (${key}, 1, ${nowIso})
      on conflict (key) do update set
        failures = case when auth_throttle.window_started_at < ${windowStart}::timestamptz then 1 else auth_throttle.failures + 1 end,
        window_started_at = case when auth_throttle.window_started_at < ${windowStart}::timestamptz then ${nowIso}::timestamptz
                                 else auth_throttle.window_started_at end,
        locked_until = case when auth_throttle.window_started_at >= ${windowStart}::timestamptz
                             and auth_throttle.failures + 1 >= ${limit} then ${lockUntil}::timestamptz
                            else auth_throttle.locked_until end`);
  }
}

/** A successful sign-in forgives the e-mail's failures (not the IP's). */
export async function clearEmailFailures(scope: PlatformScope, email: string): Promise<void> {
  await scope.db.delete(authThrottle).where(inArray(authThrottle.key, [`email:${email}`]));
}
