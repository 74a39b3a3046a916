import { and, eq, isNull, sql } from "drizzle-orm";
import { refreshTokens, sessions } from "../../db/schema/index.ts";
import { UnauthorizedError } from "../../lib/errors.ts";
import { hashRefreshToken, type TokenIssuer } from "../../lib/tokens.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";
import type { Outcome, RefreshInput, TokenPair } from "./schemas.ts";
import { revokeSession } from "./logout.ts";

const invalid = () => ({ ok: false as const, error: new UnauthorizedError("Invalid refresh token") });

/**
 * Rotates a refresh token. Each token works once; presenting a used one again
 * means it was stolen or replayed, so the whole session (its family) is revoked.
 */
export async function refresh(scope: PlatformScope, tokens: TokenIssuer, input: RefreshInput): Promise<Outcome<TokenPair>> {
  const now = tokens.now();
  const [row] = await scope.db
    .select({
      sessionId: refreshTokens.sessionId,
      usedAt: refreshTokens.usedAt,
      expiresAt: refreshTokens.expiresAt,
      userId: sessions.userId,
      revokedAt: sessions.revokedAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, hashRefreshToken(input.refreshToken)));
  if (!row || row.revokedAt || new Date(row.expiresAt) <= now) return invalid();

  // Claim the token atomically: of two concurrent uses, only one gets the row.
  const claimed = await scope.db
    .update(refreshTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(refreshTokens.tokenHash, hashRefreshToken(input.refreshToken)), isNull(refreshTokens.usedAt)))
    .returning({ sessionId: refreshTokens.sessionId });
  if (!claimed.length) {
    await revokeSession(scope, row.sessionId, "refresh token reused");
    return invalid();
  }

  const next = tokens.newRefreshToken();
  await scope.db.insert(refreshTokens).values({ tokenHash: next.hash, sessionId: row.sessionId, expiresAt: next.expiresAt });
  const access = await tokens.signAccess({ userId: row.userId, sessionId: row.sessionId });
  return { ok: true, value: { accessToken: access.token, refreshToken: next.token, expiresAt: access.expiresAt } };
}
