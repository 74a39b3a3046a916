/**
 * The hook for the files feature's orphan-file sweep (stored objects no file row
 * points at). The feature exports the sweep; wiring it means passing it as
 * `orphanFileSweep` to jobRuntimeFromEnv (src/jobs/runtime.ts) in src/index.ts
 * and src/worker.ts. Until then this type is not scheduled.
 */
import { z } from "zod";
import { definePlatformJob } from "../definition.ts";

export const platformOrphanFileSweep = definePlatformJob({
  type: "platform.orphan-file-sweep",
  data: z.object({}),
  schedule: "40 3 * * *",
  scheduledWhen: (runtime) => !!runtime.orphanFileSweep,
  policy: { retryLimit: 2, retryDelay: 300, expireInSeconds: 3600 },
  async run({ admin, runtime, log }) {
    if (!runtime.orphanFileSweep) {
      log.warn("orphan-file sweep queued, but no sweep is wired (the files feature provides it)");
      return;
    }
    const { deleted } = await runtime.orphanFileSweep(admin, log);
    log.info({ deleted }, "orphan-file sweep done");
  },
});
