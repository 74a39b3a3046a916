/**
 * Attempt throttling for sign-in and registration. Every attempt is counted,
 * atomically, in its own committed transaction BEFORE the password is checked:
 * counting only failures after a slow argon2 check let a batch of concurrent
 * guesses all pass a check that none of them had yet counted against.
 *
 * Sign-in: more than 5 attempts for one e-mail (or 30 from one IP) within 15
 * minutes lock further attempts for 15 minutes, even with the right password. A
 * success forgives the e-mail's attempts and gives the IP back its own.
 * Registration: more than 10 new accounts from one IP within 15 minutes.
 */
import { inArray, sql } from "drizzle-orm";
import { authThrottle } from "../../db/schema/index.ts";
import { RateLimitedError } from "../../lib/errors.ts";
import { rows } from "../../tenancy/rows.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";

export const THROTTLE = {
  windowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
  maxPerEmail: 5,
  maxPerIp: 30,
  maxRegistrationsPerIp: 10,
};

export interface ThrottleKey {
  key: string;
  max: number;
}

export function loginKeys(email: string, ip: string | null): ThrottleKey[] {
  const keys = [{ key: `email:${email}`, max: THROTTLE.maxPerEmail }];
  return ip ? [...keys, { key: `ip:${ip}`, max: THROTTLE.maxPerIp }] : keys;
}

export function registrationKeys(ip: string | null): ThrottleKey[] {
  return ip ? [{ key: `register-ip:${ip}`, max: THROTTLE.maxRegistrationsPerIp }] : [];
}

/**
 * Counts one attempt against each key; refuses (TOO_MANY_REQUESTS) when a key is
 * locked or this attempt is past its limit, which also locks it. One upsert per
 * key: concurrent attempts serialise on the row, so each sees the others' counts.
 */
export async function countAttempt(scope: PlatformScope, keys: ThrottleKey[], now: Date): Promise<void> {
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - THROTTLE.windowSeconds * 1000).toISOString();
  const lockUntil = new Date(now.getTime() + THROTTLE.lockSeconds * 1000).toISOString();
  let lockedUntil = 0;
  for (const { key, max } of keys) {
    const [row] = await rows<{ failures: number; locked_until: Date | string | null }>(scope.db, sql`
      insert into public.auth_throttle as t (key, failures, window_started_at) values (${key}, 1, ${nowIso})
      on conflict (key) do update set
        failures = case when t.window_started_at < ${windowStart}::timestamptz then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at < ${windowStart}::timestamptz then ${nowIso}::timestamptz else t.window_started_at end,
        locked_until = case when t.locked_until > ${nowIso}::timestamptz then t.locked_until
                            when t.window_started_at >= ${windowStart}::timestamptz and t.failures + 1 > ${max} then ${lockUntil}::timestamptz
                            else null end
      returning failures, locked_until`);
    const until = row?.locked_until ? new Date(row.locked_until).getTime() : 0;
    if (until > now.getTime() || (row?.failures ?? 0) > max) lockedUntil = Math.max(lockedUntil, until || now.getTime() + THROTTLE.lockSeconds * 1000);
  }
  if (lockedUntil) {
    const retryAfter = Math.max(1, Math.ceil((lockedUntil - now.getTime()) / 1000));
    throw new RateLimitedError(`Too many attempts; try again in ${retryAfter} seconds`, retryAfter);
  }
}

/** A successful sign-in forgives the e-mail's attempts and takes its own attempt off the IP's count. */
export async function forgiveSignIn(scope: PlatformScope, email: string, ip: string | null): Promise<void> {
  await scope.db.delete(authThrottle).where(inArray(authThrottle.key, [`email:${email}`]));
  if (ip) await scope.db.execute(sql`update public.auth_throttle set failures = greatest(failures - 1, 0) where key = ${`ip:${ip}`}`);
}
