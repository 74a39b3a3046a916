/**
 * The nightly orphan-file sweep (src/services/files/sweep.ts): stored objects no
 * file row points at, rows whose object is gone, and each business's storage
 * counter. jobRuntimeFromEnv (src/jobs/runtime.ts) wires it; a runtime without
 * it (some tests) does not schedule this type.
 */
import { z } from "zod";
import { definePlatformJob } from "../definition.ts";

export const platformOrphanFileSweep = definePlatformJob({
  type: "platform.orphan-file-sweep",
  data: z.object({}),
  schedule: "40 3 * * *",
  scheduledWhen: (runtime) => !!runtime.orphanFileSweep,
  policy: { retryLimit: 2, retryDelay: 300, expireInSeconds: 3600 },
  async run({ runtime, log }) {
    if (!runtime.orphanFileSweep) {
      log.warn("orphan-file sweep queued, but no sweep is wired (the files feature provides it)");
      return;
    }
    const { deleted } = await runtime.orphanFileSweep(log);
    log.info({ deleted }, "orphan-file sweep done");
  },
});
