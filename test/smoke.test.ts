import { describe, expect, test } from "bun:test";
import { client, expectCode } from "./setup/client.ts";
import { createTenant, signedInUser } from "./setup/fixtures.ts";

describe("smoke", () => {
  test("an owner reads its business; a stranger is refused", async () => {
    const owner = await signedInUser();
    const tenant = await createTenant(owner);
    const current = await client({ token: owner.token, tenant: tenant.tenantKey }).tenants.current.query();
    expect(current.businessId).toBe(tenant.businessId);
    const stranger = await signedInUser();
    await expectCode(client({ token: stranger.token, tenant: tenant.tenantKey }).tenants.current.query(), "FORBIDDEN");
  });
});
