/**
 * PLATFORM_ADMIN bootstrap: ensurePlatformAdmin creates the first super admin
 * only when there is none. Other tests create super admins in the shared
 * database, so the "none yet" cases run in a scratch database of their own
 * (same server, migrated the same way), dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { closePools, createPools, type Pools } from "../../src/db/client.ts";
import { runMigrations } from "../../src/db/migrate.ts";
import type { RoleUrls } from "../../src/db/roles.ts";
import { users } from "../../src/db/schema/index.ts";
import { login } from "../../src/services/auth/login.ts";
import { register } from "../../src/services/auth/register.ts";
import { ensurePlatformAdmin } from "../../src/seed/bootstrap.ts";
import { createScopes, type Scopes } from "../../src/tenancy/scopes.ts";
import { createUser, unique } from "../setup/fixtures.ts";
import { deps, ownerUrl, scopes, urls } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";

// Password hashing (argon2id) is slow on purpose; on a busy machine 5 s per test is too tight.
setDefaultTimeout(30_000);

const usersWithEmail = (s: Scopes, email: string) =>
  s.asSuperAdmin((a) => a.db.select({ id: users.id, isSuperAdmin: users.isSuperAdmin }).from(users).where(eq(users.email, email)));
const superAdmins = (s: Scopes) => s.asSuperAdmin((a) => a.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.isSuperAdmin, true)));

test("with a super admin present: returns \"exists\" and creates no account", async () => {
  await createUser({ superAdmin: true }); // whatever else ran, there is now at least one
  const email = `${unique("boot")}@example.test`;
  expect(await ensurePlatformAdmin(scopes, email, recordSecret(`pw-${crypto.randomUUID()}`))).toBe("exists");
  expect(await usersWithEmail(scopes, email)).toEqual([]);
});

describe("in a database with no super admin yet", () => {
  const dbName = `desibazaar_boot_${unique()}`;
  const inScratch = (url: string) => Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();
  let pools: Pools;
  let scratch: Scopes;

  beforeAll(async () => {
    const roleUrls = Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, inScratch(v)])) as RoleUrls;
    await runMigrations({ ownerUrl: inScratch(ownerUrl), roleUrls });
    pools = createPools(roleUrls, { max: 2 });
    scratch = createScopes(pools, deps.files);
  }, 60_000);

  afterAll(async () => {
    await closePools(pools);
    const maintenance = postgres(ownerUrl, { max: 1, onnotice: () => {} });
    await maintenance.unsafe(`drop database if exists "${dbName}" with (force)`);
    await maintenance.end();
  });

  test("creates the super admin with a normalised e-mail, who can sign in with the given password; then reports \"exists\"", async () => {
    expect(await superAdmins(scratch)).toEqual([]);
    const local = unique("Root");
    const password = recordSecret(`pw-${crypto.randomUUID()}`);
    expect(await ensurePlatformAdmin(scratch, `  ${local}@Example.TEST `, password)).toBe("created");

    const email = `${local.toLowerCase()}@example.test`;
    const admins = await superAdmins(scratch);
    expect(admins.map((a) => a.email)).toEqual([email]);
    const outcome = await scratch.asPlatform((s) => login(s, deps.tokens, { email, password }, { ip: null, userAgent: "bootstrap-test" }));
    expect(outcome.ok).toBe(true);
    if (outcome.ok) [outcome.value.accessToken, outcome.value.refreshToken].forEach((t) => recordSecret(t));

    // A second start-up, even naming someone else, changes nothing.
    const otherEmail = `${unique("second")}@example.test`;
    expect(await ensurePlatformAdmin(scratch, otherEmail, recordSecret(`pw-${crypto.randomUUID()}`))).toBe("exists");
    expect(await usersWithEmail(scratch, otherEmail)).toEqual([]);
    expect((await superAdmins(scratch)).length).toBe(1);

    // Leave the scratch database without a super admin again for the next case.
    await scratch.asSuperAdmin((a) => a.db.update(users).set({ isSuperAdmin: false }).where(eq(users.email, email)));
  });

  test("an existing account with that e-mail is promoted, not duplicated", async () => {
    expect(await superAdmins(scratch)).toEqual([]);
    const email = `${unique("owner")}@example.test`;
    const { userId } = await scratch.asPlatform((s) => register(s, { email, password: recordSecret(`pw-${crypto.randomUUID()}`), name: "Existing" }));
    expect(await ensurePlatformAdmin(scratch, email.toUpperCase(), recordSecret(`pw-${crypto.randomUUID()}`))).toBe("created");
    expect(await usersWithEmail(scratch, email)).toEqual([{ id: userId, isSuperAdmin: true }]);
  });
});
