/** What job handlers get besides their scope, from the environment: the mailer, the settings they apply, the file sweep. */
import type { Env } from "../env.ts";
import { createMailer } from "../lib/mailer.ts";
import { sweepFiles } from "../services/files/sweep.ts";
import type { Scopes } from "../tenancy/scopes.ts";
import type { JobRuntime } from "./definition.ts";

export function jobRuntimeFromEnv(env: Env, scopes: Scopes, extra: Partial<JobRuntime> = {}): JobRuntime {
  return {
    mailer: createMailer(env.SMTP_URL),
    mailFrom: env.MAIL_FROM,
    orderHoldMinutes: env.ORDER_HOLD_MINUTES,
    // Stored objects no file row points at, rows whose object is gone, and each business's storage counter (src/services/files/sweep.ts).
    orphanFileSweep: async (_admin, log) => {
      const result = await sweepFiles(scopes, { onProgress: (line) => log.info(line) });
      return { deleted: result.blobsRemoved + result.rowsRemoved };
    },
    ...extra,
  };
}
