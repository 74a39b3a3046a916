/**
 * The storage allowance (free plan: 100 MiB). Uploads reserve bytes before they
 * write; past the allowance the reservation is refused as PAYLOAD_TOO_LARGE
 * and nothing is counted; deleting gives bytes back.
 */
import { describe, expect, test } from "bun:test";
import { TRPCError } from "@trpc/server";
import { LimitExceededError } from "../../src/lib/errors.ts";
import { releaseStorage, reserveStorage, storageUsed } from "../../src/services/subscriptions/storage.ts";
import { toTRPCError } from "../../src/trpc/errors.ts";
import { client } from "../setup/client.ts";
import { createTenant, signedInUser } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";

const MiB = 1_048_576;
const FREE_ALLOWANCE = 100 * MiB;

async function shop() {
  const user = await signedInUser();
  const tenant = await createTenant(user);
  return { user, tenant, api: client({ token: user.token, tenant: tenant.tenantKey }) };
}

const reserve = (businessId: number, bytes: number) => scopes.asTenant(businessId, (s) => reserveStorage(s, bytes));
const used = (businessId: number) => scopes.asTenant(businessId, (s) => storageUsed(s), { readOnly: true });

describe("storage allowance", () => {
  test("fills up to the plan's bytes, then refuses with PAYLOAD_TOO_LARGE naming the limit, counting nothing", async () => {
    const { tenant, api } = await shop();
    await reserve(tenant.businessId, 60 * MiB);
    expect((await reserve(tenant.businessId, 40 * MiB)).used).toBe(FREE_ALLOWANCE);

    const refused = await reserve(tenant.businessId, 1).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LimitExceededError);
    expect((refused as Error).message).toBe(
      "Storage limit reached: the Free plan allows 100.0 MB; this business uses 100.0 MB and this upload needs 0.0 MB",
    );
    // The one error map turns it into the contract's code for storage.
    expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: refused })).code).toBe("PAYLOAD_TOO_LARGE");
    expect(await used(tenant.businessId)).toBe(FREE_ALLOWANCE);
    expect((await api.subscriptions.current.query()).usage.storageBytes).toBe(FREE_ALLOWANCE);
  });

  test("releasing gives bytes back (never below zero), and another business's usage is its own", async () => {
    const { tenant } = await shop();
    const other = await shop();
    await reserve(tenant.businessId, 90 * MiB);
    await reserve(other.tenant.businessId, 5 * MiB);
    await scopes.asTenant(tenant.businessId, (s) => releaseStorage(s, 50 * MiB));
    expect(await used(tenant.businessId)).toBe(40 * MiB);
    await reserve(tenant.businessId, 60 * MiB);
    await scopes.asTenant(tenant.businessId, (s) => releaseStorage(s, 500 * MiB));
    expect(await used(tenant.businessId)).toBe(0);
    expect(await used(other.tenant.businessId)).toBe(5 * MiB);
  });

  test("concurrent uploads never pass the allowance together", async () => {
    const { tenant } = await shop();
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => reserve(tenant.businessId, 10 * MiB)));
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(10);
    expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof LimitExceededError)).toBe(true);
    expect(await used(tenant.businessId)).toBe(FREE_ALLOWANCE);
  });
});
