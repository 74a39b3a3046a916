/**
 * Access tokens: the server accepts only HS256 tokens it signed, within their
 * lifetime, naming a live session of the user in `sub`. Each refusal below has
 * a positive control made the same way with only the one defect removed.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { SignJWT } from "jose";
import { env } from "../../src/env.ts";
import { createTokenIssuer, type AccessClaims } from "../../src/lib/tokens.ts";
import { client, expectCode } from "../setup/client.ts";
import { createTenant, createUser, newSession, type Principal } from "../setup/fixtures.ts";
import { recordSecret } from "../setup/secrets.ts";
import { badTokens } from "../setup/security-matrix.ts";

// Password hashing (argon2id) is slow on purpose; on a busy machine 5 s per test is too tight.
setDefaultTimeout(30_000);

const key = new TextEncoder().encode(env.JWT_SECRET!);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const claimsOf = (p: Principal): AccessClaims => ({ userId: p.userId, sessionId: p.sessionId });

/** Signs with the server's secret and a clock set `minutes` in the past. */
async function signedAgo(minutes: number, claims: AccessClaims, ttlSeconds?: number): Promise<string> {
  const issuer = createTokenIssuer({ secret: env.JWT_SECRET!, now: () => minutesAgo(minutes) });
  return recordSecret((await issuer.signAccess(claims, ttlSeconds)).token);
}

/** A hand-made token; `edit` spoils one property. */
async function handMade(p: Principal, edit: (jwt: SignJWT) => SignJWT = (j) => j, alg = "HS256"): Promise<string> {
  const jwt = new SignJWT({ sid: p.sessionId })
    .setProtectedHeader({ alg })
    .setSubject(String(p.userId))
    .setIssuer("desibazaar")
    .setAudience("desibazaar-api")
    .setIssuedAt()
    .setExpirationTime("5m");
  return recordSecret(await edit(jwt).sign(key));
}

/** An owner with a business and a fresh session: tokens are tried on auth.me and on a tenant procedure. */
async function ownerWithBusiness() {
  const user = await createUser();
  const tenant = await createTenant(user);
  return { principal: await newSession(user), tenant };
}

async function expectAccepted(token: string, tenantKey: string) {
  await client({ token }).auth.me.query();
  await client({ token, tenant: tenantKey }).tenants.current.query();
}

async function expectRefused(token: string, tenantKey: string) {
  await expectCode(client({ token }).auth.me.query(), "UNAUTHORIZED");
  await expectCode(client({ token, tenant: tenantKey }).tenants.current.query(), "UNAUTHORIZED");
}

describe("access token expiry", () => {
  test("a token signed 10 minutes ago with a 15-minute lifetime is accepted (control)", async () => {
    const { principal, tenant } = await ownerWithBusiness();
    await expectAccepted(await signedAgo(10, claimsOf(principal)), tenant.tenantKey);
  });

  test("a token signed 20 minutes ago with a 15-minute lifetime → UNAUTHORIZED", async () => {
    const { principal, tenant } = await ownerWithBusiness();
    await expectRefused(await signedAgo(20, claimsOf(principal)), tenant.tenantKey);
  });

  test("one second past expiry is already refused", async () => {
    const { principal, tenant } = await ownerWithBusiness();
    await expectRefused(await signedAgo(1, claimsOf(principal), 59), tenant.tenantKey);
  });
});

describe("forged tokens", () => {
  test("a hand-made token with the server's secret and the right claims is accepted (control)", async () => {
    const { principal, tenant } = await ownerWithBusiness();
    await expectAccepted(await handMade(principal), tenant.tenantKey);
  });

  test("expired, other secret, tampered subject, alg none, wrong audience, garbage → UNAUTHORIZED everywhere", async () => {
    const { principal, tenant } = await ownerWithBusiness();
    const other = await createUser();
    for (const { label, token } of await badTokens(principal, other.userId)) {
      await expectRefused(token, tenant.tenantKey).catch((e) => {
        throw new Error(`"${label}" token was not refused: ${e}`);
      });
    }
  });

  test("wrong issuer, HS512 instead of HS256, non-numeric subject → UNAUTHORIZED", async () => {
    const { principal, tenant } = await ownerWithBusiness();
    await expectRefused(await handMade(principal, (j) => j.setIssuer("evil")), tenant.tenantKey);
    await expectRefused(await handMade(principal, (j) => j, "HS512"), tenant.tenantKey);
    await expectRefused(await handMade(principal, (j) => j.setSubject("admin")), tenant.tenantKey);
  });

  test("a genuine signature pairing one user with another user's session → UNAUTHORIZED", async () => {
    const { principal: victim, tenant } = await ownerWithBusiness();
    const attacker = await newSession(await createUser());
    // Even signed with the real secret, a session only vouches for its own user.
    await expectRefused(await signedAgo(0, { userId: victim.userId, sessionId: attacker.sessionId }), tenant.tenantKey);
    await expectRefused(await signedAgo(0, { userId: attacker.userId, sessionId: victim.sessionId }), tenant.tenantKey);
  });

  test("a genuine signature over a session id that never existed → UNAUTHORIZED", async () => {
    const { principal, tenant } = await ownerWithBusiness();
    await expectRefused(await signedAgo(0, { userId: principal.userId, sessionId: crypto.randomUUID() }), tenant.tenantKey);
  });

  test("credentials in anything but a Bearer header → UNAUTHORIZED", async () => {
    const { principal } = await ownerWithBusiness();
    for (const authorization of [`Basic ${btoa(`${principal.email}:x`)}`, "Bearer", `Token ${principal.token}`]) {
      await expectCode(client({ headers: { authorization } }).auth.me.query(), "UNAUTHORIZED");
    }
    expect((await client({ token: principal.token }).auth.me.query()).userId).toBe(principal.userId);
  });
});
