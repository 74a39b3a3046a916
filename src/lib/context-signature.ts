/**
 * The signed tenant context. The app sends PostgreSQL, with every transaction,
 * `v1.{role}.{tenantId}.{userId}.{expiresAt}.{hmac}`; the database verifies the
 * HMAC (sql/002_functions.sql) with its copy of the key, which no login role can
 * read, and ignores the context on any mismatch. So SQL that reaches a tenant
 * connection can set whatever it likes and still see nothing it was not given.
 *
 * The HMAC is SHA-256 (RFC 2104). PostgreSQL has sha256() but no bytea XOR, so
 * the database keeps the key as its two padded halves (`hmacPads`) and computes
 * sha256(outer || sha256(inner || message)), the same value createHmac gives.
 */
import { createHmac } from "node:crypto";

export interface ContextClaims {
  /** The login role the context is for: a context signed for one role is void on another. */
  role: string;
  tenantId?: number;
  userId?: number;
  /** Unix seconds; compared with the transaction's start time in the database. */
  expiresAt: number;
}

const BLOCK = 64;

/** A key is 32 to 64 bytes: at least SHA-256's output, at most one block (so the pads hold it as is). */
export function isUsableKey(key: string): boolean {
  const bytes = Buffer.byteLength(key);
  return bytes >= 32 && bytes <= BLOCK;
}

function assertUsableKey(key: string): void {
  if (!isUsableKey(key)) throw new Error("the context signing key must be 32 to 64 bytes");
}

function contextPayload(claims: ContextClaims): string {
  return `v1.${claims.role}.${claims.tenantId ?? ""}.${claims.userId ?? ""}.${claims.expiresAt}`;
}

/** One signer per key: the HMAC key is imported once, not per transaction. */
export function contextSigner(key: string) {
  assertUsableKey(key);
  return (claims: ContextClaims): string => {
    const payload = contextPayload(claims);
    return `${payload}.${createHmac("sha256", key).update(payload).digest("hex")}`;
  };
}

/** The key's inner and outer HMAC pads, as the database stores them. */
export function hmacPads(key: string): { inner: Buffer; outer: Buffer } {
  assertUsableKey(key);
  const padded = Buffer.alloc(BLOCK);
  Buffer.from(key).copy(padded);
  return { inner: padded.map((b) => b ^ 0x36) as Buffer, outer: padded.map((b) => b ^ 0x5c) as Buffer };
}
