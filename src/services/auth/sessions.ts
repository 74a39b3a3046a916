import { refreshTokens, sessions } from "../../db/schema/index.ts";
import type { TokenIssuer } from "../../lib/tokens.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";
import type { ClientInfo, TokenPair } from "./schemas.ts";

/** Starts a session and hands out its first token pair. */
export async function startSession(scope: PlatformScope, tokens: TokenIssuer, userId: number, client: ClientInfo): Promise<TokenPair> {
  const refresh = tokens.newRefreshToken();
  const [session] = await scope.db
    .insert(sessions)
    .values({ userId, expiresAt: refresh.expiresAt, ip: client.ip, userAgent: client.userAgent?.slice(0, 500) })
    .returning({ id: sessions.id });
  await scope.db.insert(refreshTokens).values({ tokenHash: refresh.hash, sessionId: session!.id, expiresAt: refresh.expiresAt });
  const access = await tokens.signAccess({ userId, sessionId: session!.id });
  return { accessToken: access.token, refreshToken: refresh.token, expiresAt: access.expiresAt };
}
