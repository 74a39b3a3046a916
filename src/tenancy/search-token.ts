/**
 * Tenant tokens: what `search.token` hands a client so it can query
 * Meilisearch directly. A tenant token is a JWT signed with an API key; its
 * search rules are ANDed by Meilisearch onto every query it carries, whatever
 * the client sends, and it can never do more than its key.
 *
 * So the key is made for this alone: it may only `search`, only on the
 * products and services indexes (not the directory, not the documents,
 * settings, tasks or keys routes), and never expires (the tokens do). The
 * master key never signs anything a client holds. The key's uid is derived
 * from the index prefix, so every API process (and every restart) finds the
 * same key without storing anything.
 */
import { createHash } from "node:crypto";
import type { Meilisearch } from "meilisearch";
import { generateTenantToken } from "meilisearch/token";
import { sortedEqual, type IndexNames } from "./search-indexes.ts";
import { tenantCondition } from "./search-filter.ts";

export interface TokenKey {
  uid: string;
  /** The key itself: a secret, never logged. */
  key: string;
}

/** How long a token lives: a client asks again when it expires. */
export const TOKEN_TTL_MS = 60 * 60 * 1000;

/** A stable UUIDv4-shaped uid per prefix (Meilisearch requires v4 for tenant tokens' apiKeyUid). */
export function tokenKeyUid(prefix: string): string {
  const hex = createHash("sha256").update(`desibazaar-search-token-key\u0000${prefix}`).digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Finds the search-only key of this prefix, or creates it; a key with other rights is replaced. */
export async function ensureTokenKey(client: Meilisearch, names: IndexNames, prefix: string): Promise<TokenKey> {
  const uid = tokenKeyUid(prefix);
  const wanted = { actions: ["search"], indexes: [names.products, names.services] };
  let key = await client.getKey(uid).catch((error: unknown) => {
    if ((error as { cause?: { code?: string } }).cause?.code === "api_key_not_found") return null;
    throw error;
  });
  if (key && !(sortedEqual(key.actions, wanted.actions) && sortedEqual(key.indexes, wanted.indexes) && key.expiresAt === null)) {
    await client.deleteKey(uid);
    key = null;
  }
  key ??= await client
    .createKey({ uid, name: `${prefix}-tenant-tokens`, description: "Signs DesiBazaar tenant tokens (search only; products and services)", ...wanted, expiresAt: null })
    .catch((error: unknown) => {
      // Another process created it a moment ago.
      if ((error as { cause?: { code?: string } }).cause?.code === "api_key_already_exists") return client.getKey(uid);
      throw error;
    });
  return { uid: key.uid, key: key.key };
}

/** A token for `businessId`: every search it makes on products or services is filtered to that business by Meilisearch itself. */
export async function tenantToken(key: TokenKey, names: IndexNames, businessId: number, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const filter = tenantCondition(businessId);
  // Whole seconds: that is what the token carries, so that is what the client is told.
  const expiresAt = new Date(Math.floor((now + TOKEN_TTL_MS) / 1000) * 1000);
  const token = await generateTenantToken({
    apiKey: key.key,
    apiKeyUid: key.uid,
    searchRules: { [names.products]: { filter }, [names.services]: { filter } },
    expiresAt,
  });
  return { token, expiresAt };
}
