/**
 * Login throttling: 5 failures for one e-mail (or 30 from one IP) within 15
 * minutes lock further attempts for 15 minutes, even with the right password.
 * Through the in-process client the IP is unknown (it comes from Bun.serve's
 * connection info), so the per-IP cases call the login service directly.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { env } from "../../src/env.ts";
import { RateLimitedError } from "../../src/lib/errors.ts";
import { createTokenIssuer, type TokenIssuer } from "../../src/lib/tokens.ts";
import { login } from "../../src/services/auth/login.ts";
import { THROTTLE } from "../../src/services/auth/throttle.ts";
import { client, expectCode } from "../setup/client.ts";
import { createUser, unique } from "../setup/fixtures.ts";
import { deps, scopes } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";

// Password hashing (argon2id) is slow on purpose; on a busy machine 5 s per test is too tight.
setDefaultTimeout(30_000);

const api = client();
const wrong = () => recordSecret(`wrong-${crypto.randomUUID()}`);
const loginWith = (email: string, password: string) => api.auth.login.mutate({ email, password });
const failLogins = async (email: string, times: number) => {
  for (let i = 0; i < times; i++) await expectCode(loginWith(email, wrong()), "UNAUTHORIZED");
};

/** The login service as Bun.serve would call it for a client at `ip`, on `tokens`' clock. */
async function serviceLogin(user: { email: string; password: string }, ip: string, tokens: TokenIssuer = deps.tokens) {
  const outcome = await scopes.asPlatform((s) => login(s, tokens, user, { ip, userAgent: "throttle-test" }));
  if (outcome.ok) {
    recordSecret(outcome.value.accessToken);
    recordSecret(outcome.value.refreshToken);
  }
  return outcome;
}

test("the limits are the documented ones", () => {
  // The cases below count to these numbers; if they change, the cases must be revisited.
  expect(THROTTLE).toMatchObject({ maxPerEmail: 5, maxPerIp: 30, windowSeconds: 900, lockSeconds: 900 });
});

describe("per e-mail", () => {
  test("after 5 failures the 6th attempt, even with the right password → TOO_MANY_REQUESTS; another e-mail is unaffected", async () => {
    const [victim, bystander] = [await createUser(), await createUser()];
    await failLogins(victim.email, 5);
    await expectCode(loginWith(victim.email, victim.password), "TOO_MANY_REQUESTS");
    await expectCode(loginWith(victim.email.toUpperCase(), victim.password), "TOO_MANY_REQUESTS"); // same account, other casing
    recordSecret((await loginWith(bystander.email, bystander.password)).accessToken);
  });

  test("4 failures do not lock, and a success forgives them", async () => {
    const user = await createUser();
    await failLogins(user.email, 4);
    recordSecret((await loginWith(user.email, user.password)).accessToken);
    await failLogins(user.email, 4); // 8 failures in all, but never 5 since the last success
    recordSecret((await loginWith(user.email, user.password)).accessToken);
  });

  test("an unknown e-mail is throttled the same way (no account oracle)", async () => {
    const email = `${unique("ghost")}@example.test`;
    await failLogins(email, 5);
    await expectCode(loginWith(email, wrong()), "TOO_MANY_REQUESTS");
  });

  test("the lock ends after 15 minutes", async () => {
    const user = await createUser();
    await failLogins(user.email, 5);
    const later = new Date(Date.now() + (THROTTLE.lockSeconds + 60) * 1000);
    const future = createTokenIssuer({ secret: env.JWT_SECRET!, now: () => later });
    expect((await serviceLogin(user, "198.51.100.7", future)).ok).toBe(true);
  });
});

describe("per IP", () => {
  const ip = "203.0.113.9";

  test("30 failures from one IP across different e-mails lock that IP, even for a right password; other IPs are unaffected", async () => {
    const user = await createUser();
    // 29 failures, each on a new e-mail so no per-e-mail lock is involved.
    for (let i = 0; i < 29; i++) expect((await serviceLogin({ email: `${unique("spray")}@example.test`, password: wrong() }, ip)).ok).toBe(false);
    expect((await serviceLogin(user, ip)).ok).toBe(true); // not yet locked; a success does not forgive the IP

    expect((await serviceLogin({ email: `${unique("spray")}@example.test`, password: wrong() }, ip)).ok).toBe(false); // the 30th
    await expect(serviceLogin(user, ip)).rejects.toBeInstanceOf(RateLimitedError);
    expect((await serviceLogin(user, "203.0.113.10")).ok).toBe(true);
  }, 60_000); // 32 password checks, each deliberately slow
});
