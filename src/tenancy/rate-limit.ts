/**
 * Per-tenant request rate: a fixed window per business, opened by its first
 * request and lasting WINDOW_MS, counting that business's tenant requests
 * against its plan's requests_per_minute.
 *
 * In memory, per process, on purpose: the check costs no round trip, and the
 * limit is a guard against runaway clients rather than a billing meter. With N
 * API processes a business may reach N x its limit; a global limit would move
 * the counter to Redis (INCR + PEXPIRE on deps.cache) behind this same interface.
 */
export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  used: number;
  retryAfterSeconds: number;
}

export interface FixedWindowLimiter {
  /** Counts one request of `key`; `limit` null means unlimited (nothing is counted). */
  hit(key: number, limit: number | null): RateDecision;
  reset(): void;
}

export function createFixedWindowLimiter(options: { windowMs?: number; now?: () => number; maxKeys?: number } = {}): FixedWindowLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<number, { startedAt: number; count: number }>();

  /** Expired windows would otherwise accumulate one entry per business ever seen. */
  const sweep = (at: number) => {
    for (const [key, w] of windows) if (at - w.startedAt >= windowMs) windows.delete(key);
  };

  return {
    hit(key, limit) {
      if (limit === null) return { allowed: true, used: 0, retryAfterSeconds: 0 };
      const at = now();
      let w = windows.get(key);
      if (!w || at - w.startedAt >= windowMs) {
        if (windows.size >= maxKeys) sweep(at);
        w = { startedAt: at, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      const retryAfterSeconds = Math.max(1, Math.ceil((w.startedAt + windowMs - at) / 1000));
      return { allowed: w.count <= limit, used: w.count, retryAfterSeconds };
    },
    reset: () => windows.clear(),
  };
}

/** The limiter tenantProcedure uses (one per process). */
export const tenantRequestLimiter = createFixedWindowLimiter();
