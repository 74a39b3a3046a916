/**
 * What every job's data is: who it is for, what it is, its own data, and the
 * request that queued it (so the worker's log lines can be joined to the
 * request's). Parsed again when a job runs: a row written by hand, or by an
 * older version, must fail loudly rather than run for the wrong business.
 */
import { z } from "zod";

export const JobEnvelope = z.object({
  /** The business the job runs as; null only for `platform.*` types. */
  tenantId: z.number().int().positive().nullable(),
  type: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, "a job type looks like area.verb"),
  data: z.record(z.string(), z.unknown()),
  requestId: z.string().min(1).max(100),
});
export type JobEnvelope = z.infer<typeof JobEnvelope>;
