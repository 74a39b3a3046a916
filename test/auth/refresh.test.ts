/**
 * Refresh tokens rotate: each works once. Presenting a used one again means it
 * was stolen or replayed, so the whole session (every token of it) ends.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { env } from "../../src/env.ts";
import { createTokenIssuer } from "../../src/lib/tokens.ts";
import { login } from "../../src/services/auth/login.ts";
import type { TokenPair } from "../../src/services/auth/schemas.ts";
import { client, expectCode } from "../setup/client.ts";
import { createUser, signIn, type TestUser } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";

// Password hashing (argon2id) is slow on purpose; on a busy machine 5 s per test is too tight.
setDefaultTimeout(30_000);

const api = client();
const record = (pair: TokenPair) => (recordSecret(pair.accessToken), recordSecret(pair.refreshToken), pair);
const refresh = (refreshToken: string) => api.auth.refresh.mutate({ refreshToken }).then(record);
const meWith = (token: string) => client({ token }).auth.me.query();

describe("auth.refresh", () => {
  test("rotates: the new pair works, and the old refresh token is then refused", async () => {
    const user = await createUser();
    const first = await signIn(user);
    const second = await refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await meWith(second.accessToken)).userId).toBe(user.userId);
    expect(second.expiresAt.getTime()).toBeGreaterThan(Date.now());

    await expectCode(api.auth.refresh.mutate({ refreshToken: first.refreshToken }), "UNAUTHORIZED");
  });

  test("a chain of rotations keeps one session alive", async () => {
    const user = await createUser();
    let pair = await signIn(user);
    for (let i = 0; i < 3; i++) pair = await refresh(pair.refreshToken);
    expect((await meWith(pair.accessToken)).userId).toBe(user.userId);
  });

  test("reusing a used refresh token revokes the whole session: its newest access and refresh tokens stop working", async () => {
    const user = await createUser();
    const stolen = await signIn(user);
    const other = await signIn(user); // a second session of the same user, on another device
    const newest = await refresh(stolen.refreshToken);
    expect((await meWith(newest.accessToken)).userId).toBe(user.userId);

    await expectCode(api.auth.refresh.mutate({ refreshToken: stolen.refreshToken }), "UNAUTHORIZED");

    await expectCode(meWith(newest.accessToken), "UNAUTHORIZED");
    await expectCode(meWith(stolen.accessToken), "UNAUTHORIZED");
    await expectCode(api.auth.refresh.mutate({ refreshToken: newest.refreshToken }), "UNAUTHORIZED");
    // Only that session ends: the user's other session is untouched.
    expect((await meWith(other.accessToken)).userId).toBe(user.userId);
    expect((await refresh(other.refreshToken)).accessToken).toBeString();
  });

  test("concurrent refreshes of one token: at most one succeeds, and the session never forks", async () => {
    for (const parallel of [2, 2, 2, 5]) {
      const user = await createUser();
      const { refreshToken } = await signIn(user);
      const results = await Promise.allSettled(Array.from({ length: parallel }, () => refresh(refreshToken)));
      const won = results.filter((r): r is PromiseFulfilledResult<TokenPair> => r.status === "fulfilled");
      expect(won.length).toBeLessThanOrEqual(1);
      for (const r of results) if (r.status === "rejected") expect((r.reason as { data?: { code?: string } }).data?.code).toBe("UNAUTHORIZED");
      // Whatever the interleaving, at most one refresh token of this session can still be used.
      const usable = await Promise.allSettled(won.map((w) => refresh(w.value.refreshToken)));
      expect(usable.filter((u) => u.status === "fulfilled").length).toBeLessThanOrEqual(1);
    }
  });

  test("an unknown refresh token → UNAUTHORIZED; a malformed one → BAD_REQUEST", async () => {
    await expectCode(api.auth.refresh.mutate({ refreshToken: recordSecret(crypto.randomUUID().replaceAll("-", "")) }), "UNAUTHORIZED");
    await expectCode(api.auth.refresh.mutate({ refreshToken: "short" }), "BAD_REQUEST");
  });

  describe("expiry", () => {
    /** Signs in through the service with a clock `days` in the past, as if the session began then. */
    async function signInDaysAgo(user: TestUser, days: number): Promise<TokenPair> {
      const past = new Date(Date.now() - days * 86_400_000);
      const tokens = createTokenIssuer({ secret: env.JWT_SECRET!, now: () => past });
      return record(await login(scopes.asPlatform, tokens, { email: user.email, password: user.password }, { ip: null, userAgent: "test" }));
    }

    test("a refresh token from a session begun 29 days ago still works (control)", async () => {
      const user = await createUser();
      const old = await signInDaysAgo(user, 29);
      expect((await meWith((await refresh(old.refreshToken)).accessToken)).userId).toBe(user.userId);
    });

    test("a refresh token past its 30-day lifetime → UNAUTHORIZED", async () => {
      const user = await createUser();
      const old = await signInDaysAgo(user, 31);
      await expectCode(api.auth.refresh.mutate({ refreshToken: old.refreshToken }), "UNAUTHORIZED");
    });
  });
});
