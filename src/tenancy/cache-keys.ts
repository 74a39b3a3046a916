/**
 * Every key the cache and the rate limiter write is built here, and nowhere else.
 *
 *   tenant:{tenantId}:{generation}:{resource}:{identifier}   a tenant's entries
 *   tenant:{tenantId}:~gen | ~stats | ~rate:business | ~rate:user:{userId}
 *   customer:{userId}:{resource}:{identifier}               a customer's own entries
 *   platform:{resource}:{identifier}                        the one named platform namespace
 *
 * unstorage treats `:`, `/` and `\` as one separator, drops what follows `?` and
 * collapses empty segments, and Redis SCAN reads `*?[]` as globs. So an identifier
 * keeps only [A-Za-z0-9_-] and percent-encodes every other byte (UTF-8): two
 * different identifiers can never become one key, and no identifier can add a
 * segment. Everything of a tenant lives under `tenant:{id}:`, which is what lets a
 * purge find and remove it all.
 */

/** TTLs in seconds, by name. */
export const TTL = { SHORT: 60, MEDIUM: 300, LONG: 3_600, DAY: 86_400 } as const;

export type Identifier = string | number;

const RESOURCE = /^[a-z][a-z0-9-]{0,39}$/;
const SAFE = /^[A-Za-z0-9_-]$/;
const encoder = new TextEncoder();

/** Percent-encodes everything outside [A-Za-z0-9_-]; the empty string becomes `~` (which no encoded value can be). */
export function escapeIdentifier(identifier: Identifier): string {
  if (typeof identifier === "number" && !Number.isFinite(identifier)) throw new TypeError("A cache identifier must be a finite number or a string");
  const text = String(identifier);
  if (text === "") return "~";
  let out = "";
  for (const char of text) {
    if (SAFE.test(char)) out += char;
    else for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Resource names are fixed by code, never by input: a lowercase word. */
export function checkResource(resource: string): string {
  if (!RESOURCE.test(resource)) throw new TypeError(`Cache resource names are lowercase words (got ${JSON.stringify(resource)})`);
  return resource;
}

/** A cache key needs a real tenant (or customer): a positive whole number. */
export function checkOwnerId(id: number, what: "tenant" | "customer" | "user"): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`The cache needs a ${what} id (a positive whole number); got ${String(id)}`);
  return id;
}

export const tenantPrefix = (tenantId: number) => `tenant:${checkOwnerId(tenantId, "tenant")}:`;

export const tenantEntryKey = (tenantId: number, generation: string, resource: string, identifier: Identifier) =>
  `${tenantPrefix(tenantId)}${generation}:${checkResource(resource)}:${escapeIdentifier(identifier)}`;

export const customerEntryKey = (userId: number, resource: string, identifier: Identifier) =>
  `customer:${checkOwnerId(userId, "customer")}:${checkResource(resource)}:${escapeIdentifier(identifier)}`;

export const platformEntryKey = (resource: string, identifier: Identifier) => `platform:${checkResource(resource)}:${escapeIdentifier(identifier)}`;

/** Where a tenant's current generation is kept (a `~` segment is never a generation). */
export const generationKey = (tenantId: number) => `${tenantPrefix(tenantId)}~gen`;
export const statsKey = (tenantId: number) => `${tenantPrefix(tenantId)}~stats`;
export const businessBucketKey = (tenantId: number) => `${tenantPrefix(tenantId)}~rate:business`;
export const userBucketKey = (tenantId: number, userId: number) => `${tenantPrefix(tenantId)}~rate:user:${checkOwnerId(userId, "user")}`;

/** Generations are `g` + base36, so a generation never reads as a number and never starts with `~`. */
export const INITIAL_GENERATION = "g0";
export const newGeneration = () => `g${crypto.getRandomValues(new Uint32Array(2)).reduce((s, n) => s + n.toString(36), "")}`;

/** The generation segment of a tenant key (`tenant:{id}:{this}:...`), or undefined. */
export function generationOf(relativeKey: string): string | undefined {
  return relativeKey.split(":")[2];
}
