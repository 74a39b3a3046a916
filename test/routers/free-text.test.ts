/**
 * Free text PostgreSQL cannot store as sent: a NUL character (refused by
 * PostgreSQL, a 500 if it got that far) and an unpaired surrogate (stored as
 * U+FFFD, silently). Every free-text field refuses both with BAD_REQUEST and the
 * zod issue, before any row is written. Fields that once skipped the check:
 * auth.register name, tenants.provision name, reason on every lifecycle verb.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { createTenant, createUser, newSession, quickUser, shop, unique } from "../setup/fixtures.ts";
import { recordSecret } from "../setup/secrets.ts";

setDefaultTimeout(30_000);

const BAD_TEXT = { NUL: "Asha\u0000Rao", "an unpaired surrogate": "Asha\ud800" } as const;

async function expectInvalidText(call: Promise<unknown>, field: string) {
  const error = await expectCode(call, "BAD_REQUEST");
  expect(error.data?.zodError?.issues.map((i) => i.path.join("."))).toContain(field);
}

for (const [label, text] of Object.entries(BAD_TEXT)) {
  describe(`free text with ${label} → BAD_REQUEST`, () => {
    test("auth.register name", async () => {
      const password = recordSecret(`pw-${crypto.randomUUID()}`);
      await expectInvalidText(client().auth.register.mutate({ email: `${unique("txt")}@example.test`, password, name: text }), "name");
    });

    test("tenants.provision name", async () => {
      const user = await quickUser();
      await expectInvalidText(client({ token: user.token }).tenants.provision.mutate({ name: text, industryType: "retail" }), "name");
    });

    test("reason on every lifecycle verb, each asked of a business its verb applies to", async () => {
      const [admin, owner] = await Promise.all([createUser({ superAdmin: true }).then(newSession), createUser()]);
      const api = client({ token: admin.token }).tenants.lifecycle;
      const inStatus = async (status: "pending" | "active" | "suspended" | "closed") => (await createTenant(owner, { status })).tenantKey;
      await expectInvalidText(api.activate.mutate({ tenantKey: await inStatus("pending"), reason: text }), "reason");
      await expectInvalidText(api.suspend.mutate({ tenantKey: await inStatus("active"), reason: text }), "reason");
      await expectInvalidText(api.resume.mutate({ tenantKey: await inStatus("suspended"), reason: text }), "reason");
      await expectInvalidText(api.delete.mutate({ tenantKey: await inStatus("active"), reason: text }), "reason");
      await expectInvalidText(api.purge.mutate({ tenantKey: await inStatus("closed"), reason: text, force: true }), "reason");
    });

    test("catalogue names and descriptions", async () => {
      const { api } = await shop();
      await expectInvalidText(api.products.create.mutate({ name: text, priceCents: 100 }), "name");
      await expectInvalidText(api.products.create.mutate({ name: "Okra", description: text, priceCents: 100 }), "description");
      await expectInvalidText(api.categories.create.mutate({ name: text }), "name");
      await expectInvalidText(api.services.create.mutate({ name: text, durationMinutes: 30, priceCents: 100 }), "name");
      await expectInvalidText(api.directory.update.mutate({ city: text }), "city");
    });
  });
}
