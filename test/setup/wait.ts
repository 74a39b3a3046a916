/** Polling until something holds, for effects that arrive on their own (a worker, an index, a reconnect). */

/**
 * Calls `probe` every 50 ms until it returns something truthy, and returns that; throws after `timeoutMs`.
 * Timed on the monotonic clock: a test may have frozen Date with setSystemTime.
 */
export async function waitFor<T>(label: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await Bun.sleep(50);
  }
}
