import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { auditLog, businessTenants } from "../../src/db/schema/index.ts";
import { client, expectCode } from "../setup/client.ts";
import { createTenant, signedInUser, unique } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";

// Password hashing (argon2id) is slow on purpose; on a busy machine 5 s per test is too tight.
setDefaultTimeout(30_000);

/** Rows with this exact name, seen across tenants by the super-admin role. */
const tenantsNamed = (name: string) =>
  scopes.asSuperAdmin(async (s) => (await s.db.select({ n: count() }).from(businessTenants).where(eq(businessTenants.name, name)))[0]!.n);

describe("tenants.provision", () => {
  test("the caller becomes owner: auth.me lists the business with role owner, and tenants.current opens it", async () => {
    const user = await signedInUser();
    const api = client({ token: user.token });
    const name = `Sharma Sweets ${unique()}`;
    const created = await api.tenants.provision.mutate({ name, industryType: "restaurant" });
    expect(created).toEqual({
      businessId: expect.any(Number),
      tenantKey: expect.any(String),
      slug: expect.any(String),
      subdomain: `${created.slug}.desibazaar.test`,
      status: "pending",
    });

    const me = await api.auth.me.query();
    expect(me.memberships).toEqual([expect.objectContaining({ tenantKey: created.tenantKey, slug: created.slug, role: "owner" })]);

    const current = await client({ token: user.token, tenant: created.tenantKey }).tenants.current.query();
    expect(current).toMatchObject({ businessId: created.businessId, tenantKey: created.tenantKey, name, status: "pending" });
  });

  test("the chosen tier and residency are kept; the trial runs on the chosen plan when it is not dearer than the platform's trial plan", async () => {
    const user = await signedInUser();
    const created = await client({ token: user.token }).tenants.provision.mutate({
      name: `Berlin Chaat ${unique()}`,
      industryType: "restaurant",
      subscriptionPlanId: "standard",
      tenantTier: "premium",
      dataResidency: "eu",
    });
    const current = await client({ token: user.token, tenant: created.tenantKey }).tenants.current.query();
    expect(current).toMatchObject({ tenantTier: "premium", dataResidency: "eu", subscription: { planId: "standard" } });
  });

  test("the slug is derived from the name: lower case, accents dropped, punctuation becomes dashes", async () => {
    const user = await signedInUser();
    const suffix = unique(); // lower-case letters and digits only
    const created = await client({ token: user.token }).tenants.provision.mutate({ name: `  Café Ñandú's  Dosa ${suffix} `, industryType: "restaurant" });
    expect(created.slug).toBe(`cafe-nandu-s-dosa-${suffix}`);
  });

  test("two businesses with the same name get distinct slugs, even for different owners", async () => {
    const [first, second] = [await signedInUser(), await signedInUser()];
    const name = `Gupta General Store ${unique()}`;
    const a = await client({ token: first.token }).tenants.provision.mutate({ name, industryType: "grocery" });
    const b = await client({ token: second.token }).tenants.provision.mutate({ name, industryType: "grocery" });
    expect(b.slug).not.toBe(a.slug);
    expect(b.slug.startsWith(`${a.slug}-`)).toBe(true);
    expect(b.tenantKey).not.toBe(a.tenantKey);
    // Each slug opens its own business.
    expect((await client({ token: second.token, tenant: b.slug }).tenants.current.query()).businessId).toBe(b.businessId);
  });

  test("a reserved name does not take the reserved subdomain", async () => {
    const user = await signedInUser();
    const created = await client({ token: user.token }).tenants.provision.mutate({ name: "Admin", industryType: "services" });
    expect(created.slug).not.toBe("admin");
    expect(created.slug).toMatch(/^admin-[a-z0-9]+$/);
  });

  test("bad input → BAD_REQUEST with the zod issues, and nothing is written", async () => {
    const user = await signedInUser();
    const api = client({ token: user.token });
    const name = `Ghost Shop ${unique()}`;
    const auditBefore = await scopes.asSuperAdmin(async (s) => (await s.db.select({ n: count() }).from(auditLog).where(eq(auditLog.actorUserId, user.userId)))[0]!.n);

    const error = await expectCode(api.tenants.provision.mutate({ name, industryType: "spaceship" as "retail" }), "BAD_REQUEST");
    expect(error.data?.zodError?.fieldErrors).toHaveProperty("industryType");
    const short = await expectCode(api.tenants.provision.mutate({ name: "x", industryType: "retail" }), "BAD_REQUEST");
    expect(short.data?.zodError?.fieldErrors).toHaveProperty("name");
    expect(short.message).toContain("name");

    expect(await tenantsNamed(name)).toBe(0);
    expect((await api.auth.me.query()).memberships).toEqual([]);
    const auditAfter = await scopes.asSuperAdmin(async (s) => (await s.db.select({ n: count() }).from(auditLog).where(eq(auditLog.actorUserId, user.userId)))[0]!.n);
    expect(auditAfter).toBe(auditBefore);
  });
});

describe("tenants.current", () => {
  test("returns the contract's fields for the caller's business", async () => {
    const owner = await signedInUser();
    const tenant = await createTenant(owner);
    const current = await client({ token: owner.token, tenant: tenant.tenantKey }).tenants.current.query();
    expect(current).toMatchObject({
      businessId: tenant.businessId,
      tenantKey: tenant.tenantKey,
      slug: tenant.slug,
      name: expect.any(String),
      status: "active",
      tenantTier: expect.any(String),
      dataResidency: expect.any(String),
      subscription: expect.objectContaining({ planId: expect.any(String), status: expect.any(String) }),
    });
  });

  describe("tenant selection", () => {
    // One owner with two businesses: every way of naming one must open that one, not the other.
    async function twoBusinesses() {
      const owner = await signedInUser();
      return { owner, a: await createTenant(owner), b: await createTenant(owner) };
    }
    const currentId = (opts: Parameters<typeof client>[0]) => client(opts).tenants.current.query().then((t) => t.businessId);

    test("by tenantKey in x-tenant-id", async () => {
      const { owner, a, b } = await twoBusinesses();
      expect(await currentId({ token: owner.token, tenant: a.tenantKey })).toBe(a.businessId);
      expect(await currentId({ token: owner.token, tenant: b.tenantKey })).toBe(b.businessId);
    });

    test("by slug in x-tenant-id", async () => {
      const { owner, a, b } = await twoBusinesses();
      expect(await currentId({ token: owner.token, tenant: a.slug })).toBe(a.businessId);
      expect(await currentId({ token: owner.token, tenant: b.slug })).toBe(b.businessId);
    });

    test("by host {slug}.desibazaar.test, with or without a port", async () => {
      const { owner, a, b } = await twoBusinesses();
      expect(await currentId({ token: owner.token, host: `${a.slug}.desibazaar.test` })).toBe(a.businessId);
      expect(await currentId({ token: owner.token, host: `${b.slug}.desibazaar.test:8443` })).toBe(b.businessId);
    });

    test("x-tenant-id wins over the host", async () => {
      const { owner, a, b } = await twoBusinesses();
      expect(await currentId({ token: owner.token, host: `${a.slug}.desibazaar.test`, tenant: b.tenantKey })).toBe(b.businessId);
    });

    test("a subdomain no business has → NOT_FOUND", async () => {
      const owner = await signedInUser();
      await expectCode(client({ token: owner.token, host: `${unique("nobody-")}.desibazaar.test` }).tenants.current.query(), "NOT_FOUND");
    });

    test("hosts that name no tenant (other domain, bare base domain, nested subdomain) → BAD_REQUEST", async () => {
      const { owner, a } = await twoBusinesses();
      for (const host of [`${a.slug}.example.com`, "desibazaar.test", `x.${a.slug}.desibazaar.test`]) {
        await expectCode(client({ token: owner.token, host }).tenants.current.query(), "BAD_REQUEST");
      }
    });
  });
});
