/**
 * Access tokens (JWT, HS256 via jose) and opaque refresh tokens. An access token
 * names its session (`sid`): the database, not the token, decides whether that
 * session still stands, so logout and refresh-token reuse end it at once.
 */
import { createHash, randomBytes } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { UnauthorizedError } from "./errors.ts";

export interface TokenConfig {
  secret: string;
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /** Injectable clock (tests move time forward). */
  now?: () => Date;
}

export interface AccessClaims {
  userId: number;
  sessionId: string;
  /** Set on impersonation tokens: the super admin acting. */
  actorUserId?: number;
}

const ISSUER = "desibazaar";
/** Verified access tokens remembered per process (about 15 min of distinct tokens for a busy API). */
const MAX_REMEMBERED = 100_000;
const AUDIENCE = "desibazaar-api";

export function createTokenIssuer(config: TokenConfig) {
  // Imported once: jose would otherwise import the raw secret on every sign and verify.
  const key = crypto.subtle.importKey("raw", new TextEncoder().encode(config.secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  const now = config.now ?? (() => new Date());
  const verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();
  const accessTtl = config.accessTtlSeconds ?? 15 * 60;
  const refreshTtl = config.refreshTtlSeconds ?? 30 * 24 * 3600;

  return {
    accessTtlSeconds: accessTtl,
    refreshTtlSeconds: refreshTtl,
    now,

    async signAccess(claims: AccessClaims, ttlSeconds = accessTtl): Promise<{ token: string; expiresAt: Date }> {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
      const token = await new SignJWT({ sid: claims.sessionId, ...(claims.actorUserId ? { act: claims.actorUserId } : {}) })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(String(claims.userId))
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(await key);
      return { token, expiresAt };
    },

    /**
     * Verifies signature, issuer, audience and expiry; any failure is UNAUTHORIZED.
     * A token verified once is remembered until it expires: the signature cannot
     * change, and whether its session still stands is asked of the database on
     * every request anyway (so a logout still bites at once).
     */
    async verifyAccess(token: string): Promise<AccessClaims> {
      const known = verified.get(token);
      if (known && known.expiresAtMs > now().getTime()) return known.claims;
      const claims = await verifySignature(token);
      remember(token, claims);
      return claims;
    },

    newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
      const token = randomBytes(32).toString("base64url");
      return { token, hash: hashRefreshToken(token), expiresAt: new Date(now().getTime() + refreshTtl * 1000) };
    },
  };

  async function verifySignature(token: string): Promise<AccessClaims & { expiresAtMs: number }> {
    try {
      const { payload } = await jwtVerify(token, await key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        currentDate: now(),
      });
      const userId = Number(payload.sub);
      if (!Number.isSafeInteger(userId) || typeof payload.sid !== "string") throw new UnauthorizedError("Invalid access token");
      const actor = typeof payload.act === "number" ? payload.act : undefined;
      return { userId, sessionId: payload.sid, actorUserId: actor, expiresAtMs: (payload.exp ?? 0) * 1000 };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError("Access token expired");
      throw new UnauthorizedError("Invalid access token");
    }
  }

  function remember(token: string, claims: AccessClaims & { expiresAtMs: number }): void {
    // Bounded: past the limit the oldest half goes (Map keeps insertion order).
    if (verified.size >= MAX_REMEMBERED) for (const key of [...verified.keys()].slice(0, MAX_REMEMBERED / 2)) verified.delete(key);
    const { expiresAtMs, ...rest } = claims;
    verified.set(token, { claims: Object.freeze(rest), expiresAtMs });
  }
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The token of an `Authorization: Bearer <token>` header: null without the header, "" when it is malformed. */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (!value) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match ? match[1]! : "";
}
