/**
 * What the search indexing job types share. Meilisearch being down must lose
 * nothing: an indexing job retries with backoff (1-2 s, then doubling, at most
 * 5 minutes apart) for about a day. If that runs out, the business's audit log
 * says which row was left behind, and `bun run tenant reindex <slug>` rebuilds
 * it (src/services/search/reindex.ts).
 */
import type { JobPolicy, TenantJobContext } from "./definition.ts";
import { recordAudit } from "../services/audit/record.ts";

export const INDEXING_POLICY: JobPolicy = { retryLimit: 300, retryDelay: 1, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120 };

/** onDeadLetter of an indexing job: the business's audit log records what search is missing. */
export function indexingGaveUp<D>(entityType: string, entityId: (data: D) => number | null) {
  return async ({ scope, data, job, error, log }: TenantJobContext<D> & { error: string }) => {
    log.error({ entityType, deadLetterOf: job.deadLetterOf }, "an indexing job ran out of retries: run `bun run tenant reindex` for this business");
    await recordAudit(scope, { action: "search.index-failed", entityType, entityId: entityId(data), details: { job: job.deadLetterOf, error } });
  };
}
