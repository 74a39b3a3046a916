/**
 * What every job's data is: who it is for, what it is, its own data, and the
 * request that queued it (so the worker's log lines can be joined to the
 * request's). Parsed again when a job runs: a row written by hand, or by an
 * older version, must fail loudly rather than run for the wrong business.
 */
import { z } from "zod";
import { Text } from "../lib/schemas.ts";

export const JobEnvelope = z.object({
  /** The business the job runs as; null only for `platform.*` types. */
  tenantId: z.number().int().positive().nullable(),
  type: Text(100).regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, "a job type looks like area.verb"),
  data: z.record(Text(200), z.unknown()),
  requestId: Text(100).min(1),
});
export type JobEnvelope = z.infer<typeof JobEnvelope>;
