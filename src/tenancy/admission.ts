/**
 * Admission of a tenant request: counted against its business's plan rate and
 * its user's share of it, before any database work (the tenant's connection is
 * not reserved yet; a cache miss costs one lookup on the platform role).
 *
 *   business  the plan's requests_per_minute
 *   user      a fifth of that per member, so one member's runaway dashboard
 *             cannot use up the colleagues' allowance
 *
 * The decision is remembered for the HTTP response, which carries the IETF
 * draft's RateLimit-Policy and RateLimit fields (and Retry-After on a refusal):
 * see rateLimitHeadersFor. A tRPC batch is one HTTP response for several calls; it
 * reports the call that left the least.
 */
import { RateLimitedError } from "../lib/errors.ts";
import type { CacheService } from "./cache.ts";
import { businessBucketKey, userBucketKey } from "./cache-keys.ts";
import type { RateLimiter, TakeResult } from "./rate-limit.ts";
import type { RatePolicies } from "./rate-policy.ts";

export interface AdmissionDeps {
  cache: CacheService;
  limiter: RateLimiter;
  policies: RatePolicies;
}

export interface TenantRequestHead {
  tenantRef: string;
  userId: number;
  /** The request's headers object: the key under which the decision is kept for the response. */
  headers: Headers;
}

interface Decision {
  businessPerMinute: number;
  userPerMinute: number;
  result: TakeResult;
}

const WINDOW_SECONDS = 60;
const decisions = new WeakMap<Headers, Decision[]>();

export const userShare = (businessPerMinute: number) => Math.max(1, Math.floor(businessPerMinute / 5));

/**
 * The business the request names (undefined: no such business, answered
 * NOT_FOUND without counting); throws TOO_MANY_REQUESTS (RateLimitedError) when
 * the business's or the user's bucket is empty.
 */
export async function admitTenantRequest(deps: AdmissionDeps, head: TenantRequestHead): Promise<number | undefined> {
  const policy = await deps.policies.policyFor(head.tenantRef);
  if (!policy) return undefined;
  // A plan without a limit: nothing to count.
  const businessPerMinute = policy.plan.requestsPerMinute;
  if (businessPerMinute == null) return policy.businessId;
  const userPerMinute = userShare(businessPerMinute);
  const result = await deps.limiter.take([
    { key: businessBucketKey(policy.businessId), perMinute: businessPerMinute },
    { key: userBucketKey(policy.businessId, head.userId), perMinute: userPerMinute },
  ]);
  const kept = decisions.get(head.headers) ?? [];
  kept.push({ businessPerMinute, userPerMinute, result });
  decisions.set(head.headers, kept);
  if (result.allowed) return policy.businessId;

  deps.cache.stats.record(policy.businessId, "refusals");
  const business = result.buckets[0]!.remaining === 0;
  throw new RateLimitedError(
    business
      ? `Rate limit: this business's plan allows ${businessPerMinute} requests per minute; retry in ${result.retryAfterSeconds} s`
      : `Rate limit: each member may make ${userPerMinute} requests per minute for this business; retry in ${result.retryAfterSeconds} s`,
    result.retryAfterSeconds,
  );
}

/** The fields for a set of decisions, or null when none was made (not a tenant request, or no limit). */
function rateLimitFields(made: readonly Decision[] | undefined): Record<string, string> | null {
  if (!made?.length) return null;
  const tightest = made.reduce((a, b) =>
    Math.min(b.result.buckets[0]!.remaining, b.result.buckets[1]!.remaining) < Math.min(a.result.buckets[0]!.remaining, a.result.buckets[1]!.remaining) ? b : a,
  );
  const [business, user] = tightest.result.buckets as [TakeResult["buckets"][0], TakeResult["buckets"][0]];
  const fields: Record<string, string> = {
    "RateLimit-Policy": `"business";q=${tightest.businessPerMinute};w=${WINDOW_SECONDS}, "user";q=${tightest.userPerMinute};w=${WINDOW_SECONDS}`,
    RateLimit: `"business";r=${business.remaining};t=${business.nextTokenSeconds}, "user";r=${user.remaining};t=${user.nextTokenSeconds}`,
  };
  const refused = made.filter((d) => !d.result.allowed);
  if (refused.length) fields["Retry-After"] = String(Math.max(...refused.map((d) => d.result.retryAfterSeconds)));
  return fields;
}

/**
 * The rate-limit fields of the request whose headers these are, for its response
 * (the tRPC handler's responseMeta in src/app.ts); null when no decision was made.
 */
export function rateLimitHeadersFor(requestHeaders: Headers): Record<string, string> | null {
  return rateLimitFields(decisions.get(requestHeaders));
}
