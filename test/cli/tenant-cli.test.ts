/**
 * `bun run tenant`, spawned as an operator would run it, against the test
 * database (DATABASE_URL and the role URLs are in this process's environment):
 * output, exit codes (0 done, 1 failed, 2 wrong use), and the effect in the database.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectOwner } from "../setup/catalog.ts";
import { tenantCli as cli } from "../setup/cli.ts";
import { client } from "../setup/client.ts";
import { createUser, signIn, unique } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";
import { recordSecret } from "../setup/secrets.ts";
import { setSubscription } from "../subscriptions/support.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 2);
afterAll(() => owner.end({ timeout: 5 }));

const statusOf = async (tenantKey: string) => (await owner`select status from business_tenants where tenant_key = ${tenantKey}::uuid`)[0]?.status;

/** Provisions through the CLI with --json and returns the result. */
async function provision(email: string, name = `CLI Shop ${unique()}`) {
  const run = await cli("provision", "--name", name, "--industry", "grocery", "--owner-email", email, "--json");
  expect(run).toMatchObject({ code: 0 });
  return { ...(JSON.parse(run.stdout) as { businessId: number; tenantKey: string; slug: string; subdomain: string; status: string }), stderr: run.stderr };
}

describe("usage", () => {
  test("--help lists every verb and exits 0; a verb's --help lists its options", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    for (const verb of ["provision", "list", "activate", "suspend", "resume", "delete", "purge"]) expect(help.stdout).toContain(`  ${verb} `);
    const verbHelp = await cli("provision", "--help");
    expect(verbHelp.code).toBe(0);
    expect(verbHelp.stdout).toContain("--owner-email <value>");
  });

  test("no verb, an unknown verb, an unknown option, a missing argument: exit 2 with the reason and the usage", async () => {
    expect((await cli()).code).toBe(2);
    const bad = await cli("frobnicate");
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toContain('unknown verb "frobnicate"');
    expect(bad.stderr).toContain("usage: bun run tenant");
    const option = await cli("list", "--colour");
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("--colour");
    const missing = await cli("activate");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("tenantKey or slug");
    const badInput = await cli("provision", "--name", "X", "--industry", "spaceship", "--owner-email", "a@example.test");
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain("industryType");
  });
});

describe("provision", () => {
  test("a new owner e-mail creates the user and prints its password once; that password signs in", async () => {
    const email = `${unique("owner")}@example.test`;
    const name = `Fresh Owner Mart ${unique()}`;
    const run = await cli("provision", "--name", name, "--industry", "retail", "--owner-email", email, "--plan", "standard");
    expect(run.code).toBe(0);
    const password = recordSecret(/with password (\S+)/.exec(run.stdout)?.[1] ?? "");
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(run.stdout).toContain("shown only now");
    expect(run.stdout).toMatch(/provision: businessId=\d+ tenantKey=[0-9a-f-]{36} slug=fresh-owner-mart-\S+ subdomain=fresh-owner-mart-\S+\.\S+ status=pending/);

    const [user] = await owner`select id from users where email = ${email}`;
    const tokens = await signIn({ userId: Number(user!.id), email, password });
    const me = await client({ token: tokens.accessToken }).auth.me.query();
    expect(me.memberships).toEqual([expect.objectContaining({ role: "owner", slug: expect.stringMatching(/^fresh-owner-mart-/) })]);
  });

  test("an existing user becomes the owner without a new password; --json prints only JSON; an idempotency key makes a retry safe", async () => {
    const existing = await createUser();
    const name = `Keyed Kirana ${unique()}`;
    const args = ["provision", "--name", name, "--industry", "grocery", "--owner-email", existing.email.toUpperCase(), "--idempotency-key", unique("cli-"), "--json"];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain("password");
    const created = JSON.parse(first.stdout);
    expect(created).toMatchObject({ status: "pending", subdomain: `${created.slug}.localhost` });
    expect(JSON.parse((await cli(...args)).stdout)).toEqual(created);
    expect(await owner`select 1 from business_access where business_id = ${created.businessId} and user_id = ${existing.userId} and role = 'owner'`).toHaveLength(1);
    expect(await owner`select 1 from business_tenants where name = ${name}`).toHaveLength(1);
  });
});

describe("lifecycle", () => {
  test("activate, suspend (needs --reason), resume, delete, purge (refused, then forced), with exit codes", async () => {
    const shopOwner = await createUser();
    const t = await provision(shopOwner.email);

    expect(await cli("activate", t.tenantKey)).toMatchObject({ code: 0, stdout: "activate: status=active\n" });
    const noReason = await cli("suspend", t.slug);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("suspend needs --reason");
    expect(await statusOf(t.tenantKey)).toBe("active");
    expect((await cli("suspend", t.slug, "--reason", "fraud review")).code).toBe(0);
    expect(await statusOf(t.tenantKey)).toBe("suspended");
    const [event] = await owner`select reason, actor_user_id from tenant_lifecycle_events where business_id = ${t.businessId} order by id desc limit 1`;
    expect(event).toEqual({ reason: "fraud review", actor_user_id: null });

    const illegal = await cli("activate", t.tenantKey);
    expect(illegal.code).toBe(1);
    expect(illegal.stderr).toContain("suspended → active is not a legal transition");

    expect((await cli("resume", t.tenantKey)).code).toBe(0);
    expect((await cli("delete", t.tenantKey, "--reason", "owner request")).code).toBe(0);
    expect(await statusOf(t.tenantKey)).toBe("closed");

    const early = await cli("purge", t.tenantKey);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("kept for 30 days");
    const forced = await cli("purge", t.tenantKey, "--force", "--reason", "test", "--json");
    expect(forced.code).toBe(0);
    const purged = JSON.parse(forced.stdout);
    expect(purged).toMatchObject({ status: "purged", rowsDeleted: { categories: 6, roles: 3, business_access: 1 } });
    expect(await statusOf(t.tenantKey)).toBeUndefined();
    const [line] = await owner`select details from platform_audit_log where target_business_id = ${t.businessId} and action = 'tenant.purge'`;
    expect(line!.details).toMatchObject({ via: "cli", forced: true });

    const gone = await cli("activate", t.tenantKey);
    expect(gone).toMatchObject({ code: 1 });
    expect(gone.stderr).toContain("Business not found");
  });

  test("list filters by status and prints JSON on request", async () => {
    const shopOwner = await createUser();
    const t = await provision(shopOwner.email);
    const listed = await cli("list", "--status", "pending", "--limit", "500", "--json");
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as { tenantKey: string; status: string }[];
    expect(rows.some((r) => r.tenantKey === t.tenantKey)).toBe(true);
    expect(rows.every((r) => r.status === "pending")).toBe(true);
    expect((await cli("list")).stdout).toContain(t.tenantKey);
    expect((await cli("list", "--status", "gone")).code).toBe(2);
    expect((await cli("list", "--limit", "many")).code).toBe(2);
  });

  test("rollover applies due subscription changes for one business", async () => {
    const shopOwner = await createUser();
    const t = await provision(shopOwner.email);
    await setSubscription(owner, t.businessId, { planId: "standard", status: "active", start: new Date("2030-01-01T00:00:00Z"), end: new Date("2030-02-01T00:00:00Z") });
    const run = await cli("rollover", "--tenant", t.slug, "--now", "2030-02-15T00:00:00Z", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ processed: 1, events: { renewed: 1 } });
    expect(await owner`select 1 from invoices where business_id = ${t.businessId} and kind = 'subscription'`).toHaveLength(1);
    expect((await cli("rollover", "--now", "yesterday")).code).toBe(2);
  });
});

describe("accounts", () => {
  const isSuperAdmin = async (userId: number) => (await owner`select is_super_admin from users where id = ${userId}`)[0]?.is_super_admin;

  test("promote-admin makes an existing account a super admin, audited; an unknown e-mail changes nothing and exits 1", async () => {
    const account = await createUser();
    const bystander = await createUser();
    expect(await isSuperAdmin(account.userId)).toBe(false);
    const run = await cli("promote-admin", account.email.toUpperCase(), "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ userId: account.userId, email: account.email });
    expect(await isSuperAdmin(account.userId)).toBe(true);
    expect(await isSuperAdmin(bystander.userId)).toBe(false);
    const audit = await owner`select details from platform_audit_log where action = 'user.promote_super_admin' and (details->>'userId')::bigint = ${account.userId}`;
    expect(audit).toHaveLength(1);

    const unknown = await cli("promote-admin", `${unique("nobody")}@example.test`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No account has the e-mail");
    expect((await cli("promote-admin")).code).toBe(2);
    expect((await cli("promote-admin", "not-an-email")).code).toBe(2);
  });

  test("business-limit sets one account's limit and `default` gives it back to MAX_BUSINESSES_PER_USER", async () => {
    const account = await createUser();
    const limitOf = async () => (await owner`select max_businesses from users where id = ${account.userId}`)[0]?.max_businesses;
    expect(await limitOf()).toBeNull();
    expect((await cli("business-limit", account.email, "12")).code).toBe(0);
    expect(await limitOf()).toBe(12);
    expect((await cli("business-limit", account.email, "default")).code).toBe(0);
    expect(await limitOf()).toBeNull();
    expect((await cli("business-limit", account.email, "-3")).code).toBe(2);
  });
});
