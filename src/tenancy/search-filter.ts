/**
 * How a caller's filter becomes a query that cannot leave its business.
 *
 * Meilisearch takes a filter as an array whose elements it parses one by one
 * and ANDs together. The tenant's condition and the caller's filter go in as
 * two elements, never concatenated into one string: a string concatenation
 * (`tenant_id = 1 AND (<user>)`) is undone by `status = active) OR (tenant_id = 2`,
 * which closes the parenthesis the server opened; as a separate element the
 * same text is simply a syntax error (BAD_REQUEST).
 *
 * On top of that, a filter that names `tenant_id` at all is refused: results
 * are always the caller's own business, so such a filter is either pointless
 * or an attempt, and a clear refusal beats silently returning nothing.
 */
import { ValidationError } from "../lib/errors.ts";

/** Filters longer than this are refused before they reach Meilisearch (inputs also cap them). */
export const MAX_FILTER_LENGTH = 2_000;

/** The condition every tenant query carries. */
export const tenantCondition = (businessId: number) => {
  if (!Number.isSafeInteger(businessId) || businessId <= 0) throw new TypeError("a tenant filter needs a positive business id");
  return `tenant_id = ${businessId}`;
};

/** The filter sent for `businessId`: its own condition first, the caller's (if any) as a separate element. */
export function tenantFilter(businessId: number, userFilter: string | undefined): string[] {
  const own = tenantCondition(businessId);
  const given = userFilter?.trim();
  return given ? [own, given] : [own];
}

/** Refuses what a caller's filter may not do; Meilisearch's parser judges the rest (its errors are BAD_REQUEST too). */
export function checkUserFilter(filter: string | undefined): void {
  if (filter === undefined) return;
  if (filter.length > MAX_FILTER_LENGTH) throw new ValidationError(`A filter may be at most ${MAX_FILTER_LENGTH} characters`);
  // Anywhere, quoted or not, any case: cheaper to refuse a value that happens to read "tenant_id" than to parse quoting here.
  if (/tenant_id/i.test(filter)) throw new ValidationError("A filter may not name tenant_id: results are always this business's own");
}

/** A string value inside a filter: Meilisearch reads `\"` and `\\` inside double quotes. */
export const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
