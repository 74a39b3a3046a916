/**
 * Sign-in throttling: more than 5 attempts for one e-mail (or 30 from one IP)
 * within 15 minutes lock further attempts for 15 minutes, even with the right
 * password; each attempt is counted before its password is checked, so a batch
 * of concurrent guesses cannot slip past the count. Registration: 10 accounts per
 * IP per 15 minutes. The client's IP comes from the socket (Bun.serve's
 * requestIP, given here as the fetch's second argument exactly as Bun.serve
 * passes it), or from X-Forwarded-For only through TRUST_PROXY_HOPS proxies.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { env } from "../../src/env.ts";
import { RateLimitedError } from "../../src/lib/errors.ts";
import { createTokenIssuer, type TokenIssuer } from "../../src/lib/tokens.ts";
import { createApp } from "../../src/app.ts";
import { clientIp } from "../../src/lib/client-ip.ts";
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

/** The login service as Bun.serve would call it for a client at `ip`, on `tokens`' clock: ok, or the error it failed with. */
async function serviceLogin(user: { email: string; password: string }, ip: string, tokens: TokenIssuer = deps.tokens) {
  try {
    const pair = await login(scopes.asPlatform, tokens, user, { ip, userAgent: "throttle-test" });
    recordSecret(pair.accessToken);
    recordSecret(pair.refreshToken);
    return { ok: true as const };
  } catch (error) {
    if (error instanceof RateLimitedError) throw error;
    return { ok: false as const, error };
  }
}

test("the limits are the documented ones", () => {
  // The cases below count to these numbers; if they change, the cases must be revisited.
  expect(THROTTLE).toMatchObject({ maxPerEmail: 5, maxPerIp: 30, maxRegistrationsPerIp: 10, windowSeconds: 900, lockSeconds: 900 });
});

describe("per e-mail", () => {
  test("after 5 failures the 6th attempt, even with the right password → TOO_MANY_REQUESTS; another e-mail is unaffected", async () => {
    const [victim, bystander] = [await createUser(), await createUser()];
    await failLogins(victim.email, 5);
    await expectCode(loginWith(victim.email, victim.password), "TOO_MANY_REQUESTS");
    await expectCode(loginWith(victim.email.toUpperCase(), victim.password), "TOO_MANY_REQUESTS"); // same account, other casing
    recordSecret((await loginWith(bystander.email, bystander.password)).accessToken);
  });

  test("12 wrong passwords in one concurrent batch: at most 5 are checked, the rest → TOO_MANY_REQUESTS, then the right one too", async () => {
    const user = await createUser();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => loginWith(user.email, wrong()).then(() => "SIGNED_IN", (e) => String(e?.data?.code))),
    );
    expect(outcomes.filter((o) => o === "UNAUTHORIZED").length).toBeLessThanOrEqual(5);
    expect(outcomes.filter((o) => o === "TOO_MANY_REQUESTS").length).toBeGreaterThanOrEqual(7);
    expect(outcomes.every((o) => o === "UNAUTHORIZED" || o === "TOO_MANY_REQUESTS")).toBe(true);
    await expectCode(loginWith(user.email, user.password), "TOO_MANY_REQUESTS");
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

describe("registration from one IP", () => {
  /** The app as Bun.serve runs it, for a client whose socket address is `ip`. */
  const fromSocket = (app: ReturnType<typeof createApp>, ip: string) => (body: unknown, headers: Record<string, string> = {}) =>
    app.fetch(
      new Request("http://api.desibazaar.test/trpc/auth.register", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ json: body }) }),
      { requestIP: () => ({ address: ip, family: "IPv4", port: 40_000 }) },
    );
  const account = () => ({ email: `${unique("reg")}@example.test`, password: recordSecret(`pw-${crypto.randomUUID()}`), name: "Sign-up" });

  test("10 accounts from one address are made, the 11th → 429; another address is unaffected; X-Forwarded-For from the client is ignored", async () => {
    const app = createApp(deps);
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 10; i++) expect((await fromSocket(app, ip)(account(), { "x-forwarded-for": `10.0.0.${i}` })).status).toBe(200);
    expect((await fromSocket(app, ip)(account(), { "x-forwarded-for": "10.9.9.9" })).status).toBe(429);
    expect((await fromSocket(app, `${ip.split(".").slice(0, 3).join(".")}.251`)(account())).status).toBe(200);
  });

  test("behind one trusted proxy (TRUST_PROXY_HOPS=1) the proxy's X-Forwarded-For names the client", async () => {
    const app = createApp({ ...deps, trustProxyHops: 1 });
    const proxy = "192.0.2.1";
    const client = `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 10; i++) expect((await fromSocket(app, proxy)(account(), { "x-forwarded-for": `6.6.6.${i}, ${client}` })).status).toBe(200);
    expect((await fromSocket(app, proxy)(account(), { "x-forwarded-for": client })).status).toBe(429);
    // Another client behind the same proxy still gets through.
    expect((await fromSocket(app, proxy)(account(), { "x-forwarded-for": "198.19.251.251" })).status).toBe(200);
  });

  test("clientIp reads X-Forwarded-For from the right, only as far as the trusted hops", () => {
    expect(clientIp("10.0.0.1", "1.1.1.1, 2.2.2.2", 0)).toBe("10.0.0.1");
    expect(clientIp("10.0.0.1", "1.1.1.1, 2.2.2.2", 1)).toBe("2.2.2.2");
    expect(clientIp("10.0.0.1", "1.1.1.1, 2.2.2.2", 2)).toBe("1.1.1.1");
    expect(clientIp("10.0.0.1", "2.2.2.2", 5)).toBe("2.2.2.2");
    expect(clientIp("10.0.0.1", "not-an-ip", 1)).toBe("10.0.0.1");
    expect(clientIp("10.0.0.1", null, 1)).toBe("10.0.0.1");
  });
});
