import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { createUser, unique } from "../setup/fixtures.ts";
import { recordSecret } from "../setup/secrets.ts";

// Password hashing (argon2id) is slow on purpose; on a busy machine 5 s per test is too tight.
setDefaultTimeout(30_000);

const api = client();
const newPassword = () => recordSecret(`pw-${crypto.randomUUID()}`);
const newEmail = () => `${unique("reg")}@example.test`;

describe("auth.register", () => {
  test("creates an account that can sign in and is itself on auth.me", async () => {
    const email = newEmail();
    const password = newPassword();
    const { userId } = await api.auth.register.mutate({ email, password, name: "Asha Rao" });
    expect(userId).toBeGreaterThan(0);

    const { accessToken } = await api.auth.login.mutate({ email, password });
    recordSecret(accessToken);
    expect(await client({ token: accessToken }).auth.me.query()).toMatchObject({ userId, email, name: "Asha Rao" });
  });

  test("a second account with the same e-mail → CONFLICT", async () => {
    const email = newEmail();
    await api.auth.register.mutate({ email, password: newPassword(), name: "First" });
    await expectCode(api.auth.register.mutate({ email, password: newPassword(), name: "Second" }), "CONFLICT");
  });

  test("the e-mail is normalised to lower case: any casing signs in, and a differently cased duplicate → CONFLICT", async () => {
    const local = unique("MiXeD");
    const password = newPassword();
    const { userId } = await api.auth.register.mutate({ email: `${local}@Example.TEST`, password, name: "Case" });

    const lower = `${local.toLowerCase()}@example.test`;
    const { accessToken } = await api.auth.login.mutate({ email: lower, password });
    recordSecret(accessToken);
    const me = await client({ token: accessToken }).auth.me.query();
    expect(me.email).toBe(lower);
    expect(me.userId).toBe(userId);
    recordSecret((await api.auth.login.mutate({ email: lower.toUpperCase(), password })).accessToken);

    await expectCode(api.auth.register.mutate({ email: lower.toUpperCase(), password: newPassword(), name: "Dup" }), "CONFLICT");
  });

  test("a weak password → BAD_REQUEST naming the password field, and no account is created", async () => {
    const email = newEmail();
    const error = await expectCode(api.auth.register.mutate({ email, password: recordSecret("short1"), name: "Weak" }), "BAD_REQUEST");
    expect(error.data?.zodError?.fieldErrors).toHaveProperty("password");
    expect(error.data?.zodError?.fieldErrors).not.toHaveProperty("email");
    // Had the weak attempt written anything, this would be a CONFLICT.
    expect((await api.auth.register.mutate({ email, password: newPassword(), name: "Strong" })).userId).toBeGreaterThan(0);
  });

  test("a malformed e-mail or an empty name → BAD_REQUEST with the zod issues", async () => {
    const bad = await expectCode(api.auth.register.mutate({ email: "not-an-email", password: newPassword(), name: "X" }), "BAD_REQUEST");
    expect(bad.data?.zodError?.fieldErrors).toHaveProperty("email");
    const noName = await expectCode(api.auth.register.mutate({ email: newEmail(), password: newPassword(), name: "   " }), "BAD_REQUEST");
    expect(noName.data?.zodError?.fieldErrors).toHaveProperty("name");
  });
});

describe("auth.login", () => {
  test("returns an access token, a refresh token and the access token's expiry", async () => {
    const user = await createUser();
    const before = Date.now();
    const pair = await api.auth.login.mutate({ email: user.email, password: user.password });
    recordSecret(pair.accessToken);
    recordSecret(pair.refreshToken);
    expect(pair.accessToken.split(".")).toHaveLength(3);
    expect(pair.refreshToken.length).toBeGreaterThanOrEqual(20);
    expect(pair.expiresAt).toBeInstanceOf(Date); // superjson keeps the type
    expect(pair.expiresAt.getTime()).toBeGreaterThan(before);
    expect(pair.expiresAt.getTime()).toBeLessThanOrEqual(before + 60 * 60 * 1000); // short-lived
    expect((await client({ token: pair.accessToken }).auth.me.query()).userId).toBe(user.userId);
  });

  test("wrong password → UNAUTHORIZED, with the same message as an unknown e-mail (no account oracle)", async () => {
    const user = await createUser();
    const wrong = await expectCode(api.auth.login.mutate({ email: user.email, password: newPassword() }), "UNAUTHORIZED");
    const unknown = await expectCode(api.auth.login.mutate({ email: newEmail(), password: user.password }), "UNAUTHORIZED");
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.message).not.toContain(user.email);
  });

  test("each sign-in is its own session: two logins give two working, different token pairs", async () => {
    const user = await createUser();
    const a = await api.auth.login.mutate({ email: user.email, password: user.password });
    const b = await api.auth.login.mutate({ email: user.email, password: user.password });
    [a.accessToken, a.refreshToken, b.accessToken, b.refreshToken].forEach((t) => recordSecret(t));
    expect(b.refreshToken).not.toBe(a.refreshToken);
    expect((await client({ token: a.accessToken }).auth.me.query()).userId).toBe(user.userId);
    expect((await client({ token: b.accessToken }).auth.me.query()).userId).toBe(user.userId);
  });
});
