/**
 * What provisioning writes, and that it writes each business once: the ten
 * steps' rows, distinct slugs under concurrency, idempotent retries.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { connectOwner } from "../setup/catalog.ts";
import { signedInUser, unique } from "../setup/fixtures.ts";
import { ownerUrl } from "../setup/harness.ts";
import { DEFAULT_CATEGORIES, DEFAULT_EMAIL_TEMPLATES } from "../../src/services/tenants/defaults.ts";
import { RESERVED_SLUGS } from "../../src/services/tenants/slug.ts";

setDefaultTimeout(60_000);
const owner = connectOwner(ownerUrl, 4);
afterAll(() => owner.end({ timeout: 5 }));

const rowsOf = async (table: string, businessId: number) => [...(await owner.unsafe(`select * from public."${table}" where business_id = $1`, [businessId]))];

describe("tenants.provision writes every step", () => {
  test("tenant, owner, 180-day trial, regional settings, unpublished listing, defaults, roles, lifecycle event, audit", async () => {
    const user = await signedInUser();
    const now = Date.now();
    const name = `Lindenhof Chaat ${unique()}`;
    const created = await client({ token: user.token }).tenants.provision.mutate({ name, industryType: "restaurant", subscriptionPlanId: "standard", dataResidency: "eu" });
    expect(created.subdomain).toBe(`${created.slug}.desibazaar.test`);
    expect(created.tenantKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const id = created.businessId;

    const [tenant] = await owner`select * from business_tenants where id = ${id}`;
    expect(tenant).toMatchObject({ name, status: "pending", created_by_user_id: String(user.userId), deleted_at: null });
    expect(await rowsOf("business_access", id)).toEqual([expect.objectContaining({ user_id: String(user.userId), role: "owner", permissions: ["*"] })]);

    const [sub] = await rowsOf("business_subscriptions", id);
    expect(sub).toMatchObject({ plan_id: "standard", status: "trialing" });
    const trialDays = (sub!.trial_ends_at.getTime() - now) / 86_400_000;
    expect(trialDays).toBeGreaterThan(179.9);
    expect(trialDays).toBeLessThan(180.1);

    expect(await rowsOf("business_settings", id)).toEqual([expect.objectContaining({ timezone: "Europe/Berlin", currency: "EUR", locale: "en-GB" })]);
    expect(await rowsOf("business_directory", id)).toEqual([expect.objectContaining({ display_name: name, published: false })]);
    expect((await rowsOf("categories", id)).map((c) => c.name).sort()).toEqual([...DEFAULT_CATEGORIES.restaurant].sort());
    expect((await rowsOf("email_templates", id)).map((t) => t.key).sort()).toEqual(DEFAULT_EMAIL_TEMPLATES.map((t) => t.key).sort());
    expect((await rowsOf("roles", id)).map((r) => r.name).sort()).toEqual(["customer", "manager", "staff"]);
    expect(await rowsOf("tenant_lifecycle_events", id)).toEqual([expect.objectContaining({ from_status: null, to_status: "pending" })]);
    expect((await rowsOf("audit_log", id)).map((a) => a.action)).toEqual(["tenant.provision"]);
  });

  test("each industry gets its own default categories", async () => {
    const user = await signedInUser();
    const api = client({ token: user.token });
    for (const industryType of ["salon", "restaurant", "grocery", "retail", "services"] as const) {
      const created = await api.tenants.provision.mutate({ name: `${industryType} ${unique()}`, industryType });
      const categories = await client({ token: user.token, tenant: created.tenantKey }).categories.list.query();
      expect(categories.map((c) => c.name).sort()).toEqual([...DEFAULT_CATEGORIES[industryType]].sort());
    }
    // No two industries share a default set: the choice matters.
    const sets = Object.values(DEFAULT_CATEGORIES).map((names) => [...names].sort().join("|"));
    expect(new Set(sets).size).toBe(sets.length);
  });

  test("names that are reserved words or look like a tenantKey never become the slug as they are", async () => {
    const user = await signedInUser();
    const api = client({ token: user.token });
    for (const name of ["WWW", "Support", crypto.randomUUID()]) {
      const { slug } = await api.tenants.provision.mutate({ name, industryType: "other" });
      expect(RESERVED_SLUGS.has(slug)).toBe(false);
      expect(slug).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(slug.startsWith(`${name.toLowerCase()}-`)).toBe(true);
    }
  });
});

describe("concurrency and idempotency", () => {
  test("50 concurrent provisions of one name: 50 businesses, 50 distinct slugs, each owned by its caller", async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => signedInUser()));
    const name = `Concurrent Kirana ${unique()}`;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client({ token: users[i % users.length]!.token }).tenants.provision.mutate({ name, industryType: "grocery" })),
    );
    expect(new Set(results.map((r) => r.businessId)).size).toBe(50);
    expect(new Set(results.map((r) => r.slug)).size).toBe(50);
    expect(new Set(results.map((r) => r.tenantKey)).size).toBe(50);
    const [{ n }] = (await owner`select count(*)::int as n from business_tenants where name = ${name}`) as unknown as [{ n: number }];
    expect(n).toBe(50);
    const owners = await owner`
      select t.id, a.user_id from business_tenants t join business_access a on a.business_id = t.id and a.role = 'owner' where t.name = ${name}`;
    expect(owners).toHaveLength(50);
    const perUser = new Map<string, number>();
    for (const o of owners) perUser.set(String(o.user_id), (perUser.get(String(o.user_id)) ?? 0) + 1);
    expect([...perUser.values()]).toEqual([10, 10, 10, 10, 10]);
  });

  test("a retry with the same idempotency key returns the same business, also after its status changed", async () => {
    const user = await signedInUser();
    const api = client({ token: user.token });
    const input = { name: `Retry Sweets ${unique()}`, industryType: "restaurant" as const, idempotencyKey: unique("key-") };
    const first = await api.tenants.provision.mutate(input);
    const second = await api.tenants.provision.mutate(input);
    expect(second).toEqual(first);
    await owner`update business_tenants set status = 'active' where id = ${first.businessId}`;
    expect(await api.tenants.provision.mutate(input)).toEqual({ ...first, status: "active" });
    const [{ n }] = (await owner`select count(*)::int as n from business_tenants where name = ${input.name}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  test("concurrent retries with one key create one business and all get it", async () => {
    const user = await signedInUser();
    const input = { name: `Racing Retry ${unique()}`, industryType: "retail" as const, idempotencyKey: unique("race-") };
    const results = await Promise.all(Array.from({ length: 12 }, () => client({ token: user.token }).tenants.provision.mutate(input)));
    expect(new Set(results.map((r) => r.businessId)).size).toBe(1);
    const [{ n }] = (await owner`select count(*)::int as n from business_tenants where name = ${input.name}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
    // The losers wrote nothing: one membership, one subscription, one set of defaults.
    expect(await rowsOf("business_access", results[0]!.businessId)).toHaveLength(1);
    expect(await rowsOf("categories", results[0]!.businessId)).toHaveLength(DEFAULT_CATEGORIES.retail.length);
  });

  test("a key belongs to its user: another user's same key provisions a new business", async () => {
    const [a, b] = await Promise.all([signedInUser(), signedInUser()]);
    const input = { name: `Shared Key Shop ${unique()}`, industryType: "retail" as const, idempotencyKey: unique("shared-") };
    const first = await client({ token: a.token }).tenants.provision.mutate(input);
    const second = await client({ token: b.token }).tenants.provision.mutate(input);
    expect(second.businessId).not.toBe(first.businessId);
  });

  test("reusing a key for a different business is refused (CONFLICT); a malformed key is BAD_REQUEST", async () => {
    const user = await signedInUser();
    const api = client({ token: user.token });
    const idempotencyKey = unique("reuse-");
    await api.tenants.provision.mutate({ name: `First Shop ${unique()}`, industryType: "retail", idempotencyKey });
    const error = await expectCode(api.tenants.provision.mutate({ name: `Second Shop ${unique()}`, industryType: "retail", idempotencyKey }), "CONFLICT");
    expect(error.message).toContain("First Shop");
    await expectCode(api.tenants.provision.mutate({ name: "Spacey Key", industryType: "retail", idempotencyKey: "has spaces" }), "BAD_REQUEST");
    await expectCode(api.tenants.provision.mutate({ name: "Long Key", industryType: "retail", idempotencyKey: "k".repeat(201) }), "BAD_REQUEST");
  });
});
