/**
 * What the commands that run jobs (`bun run start` with JOBS_IN_PROCESS, and
 * `bun run worker`) take from the environment: the handlers' runtime (mailer,
 * settings, file sweep), the worker's slots, and the start-up line about e-mail.
 */
import type { Env } from "../env.ts";
import { createMailer } from "../lib/mailer.ts";
import { sweepFiles } from "../services/files/sweep.ts";
import type { Scopes } from "../tenancy/scopes.ts";
import type { JobRuntime } from "./definition.ts";
import { startWorker, type Worker, type WorkerOptions } from "./worker.ts";

export function jobRuntimeFromEnv(env: Env, scopes: Scopes): JobRuntime {
  return {
    mailer: createMailer(env.SMTP_URL),
    mailFrom: env.MAIL_FROM,
    orderHoldMinutes: env.ORDER_HOLD_MINUTES,
    // Stored objects no file row points at, rows whose object is gone, and each business's storage counter (src/services/files/sweep.ts).
    orphanFileSweep: async (log) => {
      const result = await sweepFiles(scopes, { onProgress: (line) => log.info(line) });
      return { deleted: result.blobsRemoved + result.rowsRemoved };
    },
  };
}

/** The worker with the environment's JOB_CONCURRENCY and JOB_TENANT_CONCURRENCY. */
export function startWorkerFromEnv(env: Env, options: Omit<WorkerOptions, "slots" | "tenantCap">): Promise<Worker> {
  return startWorker({ ...options, slots: env.JOB_CONCURRENCY, tenantCap: env.JOB_TENANT_CONCURRENCY });
}

/** Where e-mail goes, for start-up to print: the SMTP server's host and port (never its credentials), or the log. */
export function emailNotice(env: Env, runtime: JobRuntime): string {
  return `e-mail: ${env.SMTP_URL ? `sent through ${runtime.mailer.description}` : "SMTP_URL is not set: e-mails are written to the log, not sent"}`;
}
