import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { addMember, createTenant, createUser, signIn, signedInUser } from "../setup/fixtures.ts";

// Password hashing (argon2id) is slow on purpose; on a busy machine 5 s per test is too tight.
setDefaultTimeout(30_000);

describe("auth.me", () => {
  test("has the contract's shape: userId, email, name, isSuperAdmin, memberships [{ tenantKey, slug, role }]", async () => {
    const user = await createUser({ name: "Meera Iyer" });
    const { accessToken } = await signIn(user);
    const me = await client({ token: accessToken }).auth.me.query();
    expect(Object.keys(me).sort()).toEqual(["email", "isSuperAdmin", "memberships", "name", "userId"]);
    expect(me).toEqual({ userId: user.userId, email: user.email, name: "Meera Iyer", isSuperAdmin: false, memberships: [] });
  });

  test("lists each business the user belongs to with its role, and no others", async () => {
    const user = await signedInUser();
    const owned = await createTenant(user);
    const employerOwner = await createUser();
    const employer = await createTenant(employerOwner);
    await addMember(employer, user, "staff", ["catalog:read"]);
    const unrelated = await createTenant(employerOwner);

    const { memberships } = await client({ token: user.token }).auth.me.query();
    const byKey = Object.fromEntries(memberships.map((m) => [m.tenantKey, m]));
    expect(Object.keys(byKey).sort()).toEqual([owned.tenantKey, employer.tenantKey].sort());
    expect(byKey[owned.tenantKey]).toMatchObject({ slug: owned.slug, role: "owner" });
    expect(byKey[employer.tenantKey]).toMatchObject({ slug: employer.slug, role: "staff" });
    expect(byKey[unrelated.tenantKey]).toBeUndefined();
  });

  test("a closed business drops out of the list; a suspended one stays (its owner must still see it)", async () => {
    const user = await signedInUser();
    const closed = await createTenant(user, { status: "closed" });
    const suspended = await createTenant(user, { status: "suspended" });
    const keys = (await client({ token: user.token }).auth.me.query()).memberships.map((m) => m.tenantKey);
    expect(keys).toContain(suspended.tenantKey);
    expect(keys).not.toContain(closed.tenantKey);
  });

  test("isSuperAdmin is true for a super admin", async () => {
    const admin = await signedInUser({ superAdmin: true });
    expect((await client({ token: admin.token }).auth.me.query()).isSuperAdmin).toBe(true);
  });
});

describe("auth.logout", () => {
  test("the same access token is refused at once, on auth.me and on a tenant procedure; its refresh token too", async () => {
    const user = await signedInUser();
    const tenant = await createTenant(user);
    const me = client({ token: user.token });
    const inShop = client({ token: user.token, tenant: tenant.tenantKey });
    await inShop.tenants.current.query(); // works before

    expect(await me.auth.logout.mutate({})).toEqual({ ok: true });

    await expectCode(me.auth.me.query(), "UNAUTHORIZED");
    await expectCode(inShop.tenants.current.query(), "UNAUTHORIZED");
    await expectCode(client().auth.refresh.mutate({ refreshToken: user.refreshToken }), "UNAUTHORIZED");
    await expectCode(me.auth.logout.mutate({}), "UNAUTHORIZED");
  });

  test("ends only the session it was called with: the user's other session keeps working", async () => {
    const user = await createUser();
    const [phone, laptop] = [await signIn(user), await signIn(user)];
    await client({ token: phone.accessToken }).auth.logout.mutate({});
    expect((await client({ token: laptop.accessToken }).auth.me.query()).userId).toBe(user.userId);
    await expectCode(client({ token: phone.accessToken }).auth.me.query(), "UNAUTHORIZED");
  });

  test("without a token → UNAUTHORIZED", async () => {
    await expectCode(client().auth.logout.mutate({}), "UNAUTHORIZED");
  });
});
