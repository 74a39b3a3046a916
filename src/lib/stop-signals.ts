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
