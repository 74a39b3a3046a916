/**
 * What the search indexing job types share. Meilisearch being down must lose
 * nothing: an indexing job retries with backoff (1-2 s, then doubling, at most
 * 5 minutes apart) for about a day. If that runs out, the business's audit log
 * says which row was left behind, and `bun run tenant reindex <slug>` rebuilds
 * it (src/services/search/reindex.ts).
 */
import { z } from "zod";
import { Id } from "../lib/schemas.ts";
import { recordAudit } from "../services/audit/record.ts";
import { syncRow } from "../services/search/sync.ts";
import type { TenantIndex } from "../tenancy/search-indexes.ts";
import { defineTenantJob, type JobPolicy, type TenantJobContext } from "./definition.ts";

export const INDEXING_POLICY: JobPolicy = { retryLimit: 300, retryDelay: 1, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120 };

/** onDeadLetter of an indexing job: the business's audit log records what search is missing. */
export function indexingGaveUp<D>(entityType: string, entityId: (data: D) => number | null) {
  return async ({ scope, data, job, error, log }: TenantJobContext<D> & { error: string }) => {
    log.error({ entityType, deadLetterOf: job.deadLetterOf }, "an indexing job ran out of retries: run `bun run tenant reindex` for this business");
    await recordAudit(scope, { action: "search.index-failed", entityType, entityId: entityId(data), details: { job: job.deadLetterOf, error } });
  };
}

/**
 * The job that brings one row's search document up to date (a product, a
 * bookable service), queued by the row's writes in their own transaction: it
 * reads the row as it is when the job runs, so a late or repeated run is harmless.
 */
export function defineRowIndexingJob(type: string, entityType: string, index: TenantIndex) {
  return defineTenantJob({
    type,
    data: z.object({ id: Id }),
    policy: INDEXING_POLICY,
    async run({ scope, data, log }) {
      log.debug({ entityType, id: data.id, outcome: await syncRow(scope, index, data.id) }, "search document synced");
    },
    onDeadLetter: indexingGaveUp(entityType, (data: { id: number }) => data.id),
  });
}
