/**
 * How a long-running command stops (`bun run start`, `bun run worker`, an extra
 * API process). The first SIGINT or SIGTERM, or a call of the returned function,
 * runs `stop` once: a second Ctrl-C, or a supervisor's SIGTERM after one, does
 * not start a second shutdown over the first. The exit is 0 when `stop` finished,
 * so a supervisor sees a clean stop, and 1 when it threw.
 */
export function stopOnSignals(stop: (reason: string) => Promise<void>): (reason: string) => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stopOnce = (reason: string) =>
    (stopping ??= stop(reason).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    ));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopOnce(signal));
  return stopOnce;
}

/**
 * Runs `stop` once the process that started this one is gone, even SIGKILLed:
 * an orphan would go on holding its port and its connections with nobody to stop
 * it. `parent` is read by the caller before anything is awaited (by then it may
 * already be gone), or handed down by it.
 */
export function stopWhenOrphaned(stop: (reason: string) => Promise<unknown>, parent: number): void {
  setInterval(() => {
    if (process.ppid !== parent) void stop("the process that started this one is gone");
  }, 1000).unref();
}
