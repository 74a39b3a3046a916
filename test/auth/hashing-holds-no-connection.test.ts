/**
 * Password hashing (argon2id, slow on purpose) holds no database connection:
 * auth.register and auth.login hash between their transactions, never inside
 * one. Otherwise a burst of sign-ins would hold every pooled connection for the
 * length of a hash and starve every other request.
 *
 * The app here runs on pools of ONE connection per role. While a sign-in hashes,
 * the hash is held until a query on that same platform pool has finished: if
 * the sign-in held the connection, the query could not start until the sign-in
 * was over. Only a broken build waits for the query in vain; after GIVE_UP_MS
 * the hash goes on, so such a build fails the assertion instead of hanging.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTRPCClient, httpLink } from "@trpc/client";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { createApp } from "../../src/app.ts";
import { createDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import type { AppRouter } from "../../src/trpc/router.ts";
import { createUser, unique } from "../setup/fixtures.ts";
import { contextKey, urls } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";

setDefaultTimeout(60_000);

const GIVE_UP_MS = 10_000;

const single = createDeps({ roleUrls: urls, contextKey, pool: { max: 1 }, tokens: { secret: env.JWT_SECRET! }, baseDomain: "desibazaar.test" });
const app = createApp(single);
afterAll(() => single.close());

const api = createTRPCClient<AppRouter>({
  links: [
    httpLink({
      url: "http://api.desibazaar.test/trpc",
      transformer: superjson,
      fetch: (async (url: string, init?: RequestInit) => app.fetch(new Request(url, init))) as never,
    }),
  ],
});

/** A query that needs the platform pool's only connection. */
const platformQuery = () => single.scopes.asPlatform((s) => s.db.execute(sql`select 1`));

/**
 * Runs `signIn` with Bun.password's hash and verify held, the first time either
 * starts, until `platformQuery` has finished (or GIVE_UP_MS has passed). Says
 * whether the query finished while the hash was held.
 */
async function queryWhileHashing<T>(signIn: () => Promise<T>): Promise<{ result: T; queryRanDuringHash: boolean }> {
  const real = { hash: Bun.password.hash, verify: Bun.password.verify };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let held: Promise<boolean> | undefined;
  const hold = () =>
    (held ??= Promise.race([
      platformQuery().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), GIVE_UP_MS))),
    ]));
  Bun.password.hash = (async (...args: Parameters<typeof real.hash>) => (await hold(), real.hash(...args))) as typeof real.hash;
  Bun.password.verify = (async (...args: Parameters<typeof real.verify>) => (await hold(), real.verify(...args))) as typeof real.verify;
  try {
    const result = await signIn();
    if (!held) throw new Error("the sign-in hashed no password");
    return { result, queryRanDuringHash: await held };
  } finally {
    Object.assign(Bun.password, real);
    clearTimeout(timer);
  }
}

describe("password hashing holds no pooled connection", () => {
  test("auth.login: a query on the one platform connection runs while the password is verified", async () => {
    const user = await createUser(); // before the hashes are held: the fixture hashes once too
    const { result, queryRanDuringHash } = await queryWhileHashing(() => api.auth.login.mutate({ email: user.email, password: user.password }));
    recordSecret(result.accessToken);
    recordSecret(result.refreshToken);
    expect(queryRanDuringHash).toBe(true);
    expect(result.accessToken.split(".")).toHaveLength(3);
  });

  test("auth.register: a query on the one platform connection runs while the new password is hashed", async () => {
    const email = `${unique("hash")}@example.test`;
    const password = recordSecret(`pw-${crypto.randomUUID()}`);
    const { result, queryRanDuringHash } = await queryWhileHashing(() => api.auth.register.mutate({ email, password, name: "Hash Wait" }));
    expect(queryRanDuringHash).toBe(true);
    expect(result.userId).toBeGreaterThan(0);
  });
});
