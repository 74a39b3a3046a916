/**
 * Every marketplace mutation leaves exactly one audit_log row in the business's
 * log naming the actor, the action, the entity and when; customer mutations too,
 * with the customer as actor. Mutations are done by a manager here, so a row
 * that always named the owner would be caught. The app and admin roles' inability
 * to change the log is covered in test/isolation/roles.test.ts; the customer
 * role, which may append, is covered here.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import { sqlState } from "../setup/db-errors.ts";
import { client, expectCode } from "../setup/client.ts";
import { scopes } from "../setup/harness.ts";
import { auditRows, makeBooking, makeProduct, makeService, member, quickUser, setTenantStatus, shop } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

/** Runs `mutate`, then expects exactly one new audit row for `action` on `entityId`, by `actor`, written during the call. */
async function expectOneAudit(
  tenant: { businessId: number },
  actor: { userId: number },
  expected: { action: string; entityType: string },
  mutate: () => Promise<unknown>,
  entityIdOf: (result: never) => string | number,
) {
  const before = new Set((await auditRows(tenant)).map((r) => r.id));
  const started = Date.now();
  const result = await mutate();
  const added = (await auditRows(tenant)).filter((r) => !before.has(r.id));
  expect(added).toHaveLength(1);
  expect(added[0]).toMatchObject({ businessId: tenant.businessId, actorUserId: actor.userId, ...expected, entityId: String(entityIdOf(result as never)) });
  // Database clock vs. test clock: allow a little skew either way.
  expect(added[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(started - 5_000);
  expect(added[0]!.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
  return added[0]!;
}

describe("each tenant mutation writes one audit row with actor and entity", () => {
  test("categories, products, services, members and bookings, done by a manager", async () => {
    const { owner, tenant } = await shop();
    const manager = await member(tenant, "manager");
    const api = client({ token: manager.token, tenant: tenant.tenantKey });
    const byId = (r: { id: number }) => r.id;

    await expectOneAudit(tenant, manager, { action: "category.create", entityType: "category" }, () => api.categories.create.mutate({ name: "Audited" }), byId);
    const created = await expectOneAudit(tenant, manager, { action: "product.create", entityType: "product" }, () => api.products.create.mutate({ name: "Audited", priceCents: 100, stock: 2 }), byId);
    const productId = Number(created.entityId);
    await expectOneAudit(tenant, manager, { action: "product.update", entityType: "product" }, () => api.products.update.mutate({ id: productId, stock: 5 }), byId);
    await expectOneAudit(tenant, manager, { action: "product.delete", entityType: "product" }, () => api.products.delete.mutate({ id: productId }), byId);
    await expectOneAudit(tenant, manager, { action: "service.create", entityType: "service" }, () => api.services.create.mutate({ name: "Audited", durationMinutes: 30, priceCents: 1 }), byId);

    const staff = await quickUser();
    await expectOneAudit(tenant, manager, { action: "member.invite", entityType: "member" }, () => api.members.invite.mutate({ email: staff.email, role: "staff" }), (r: { userId: number }) => r.userId);
    await expectOneAudit(tenant, manager, { action: "member.remove", entityType: "member" }, () => api.members.remove.mutate({ userId: staff.userId }), (r: { userId: number }) => r.userId);

    const booking = await makeBooking(await quickUser(), tenant, { serviceId: (await makeService(owner, tenant)).id });
    const moved = await expectOneAudit(tenant, manager, { action: "booking.status", entityType: "booking" }, () => api.bookings.updateStatus.mutate({ id: booking.id, status: "confirmed" }), byId);
    expect(moved.details).toEqual({ from: "pending", to: "confirmed" });
  });

  test("directory.update by the owner", async () => {
    const { owner, tenant, api } = await shop();
    await expectOneAudit(tenant, owner, { action: "directory.update", entityType: "directory" }, () => api.directory.update.mutate({ city: "Agra" }), () => tenant.businessId);
  });

  test("a refused mutation writes no audit row", async () => {
    const { owner, tenant } = await shop();
    const staff = await member(tenant, "staff");
    const product = await makeProduct(owner, tenant);
    const before = (await auditRows(tenant)).length;
    await expectCode(client({ token: staff.token, tenant: tenant.tenantKey }).products.delete.mutate({ id: product.id }), "FORBIDDEN");
    await expectCode(client({ token: owner.token, tenant: tenant.tenantKey }).products.update.mutate({ id: 2_147_483_647, name: "x" }), "NOT_FOUND");
    await expectCode(client({ token: owner.token, tenant: tenant.tenantKey }).categories.create.mutate({ name: "" }), "BAD_REQUEST");
    expect((await auditRows(tenant)).length).toBe(before);
  });
});

describe("customer mutations are audited in the business's log, with the customer as actor", () => {
  test("customer.bookings.create and customer.orders.create; nothing lands in another business's log", async () => {
    const { owner, tenant } = await shop();
    const bystander = await shop();
    const service = await makeService(owner, tenant);
    const product = await makeProduct(owner, tenant, { stock: 3 });
    const customer = await quickUser();
    const api = client({ token: customer.token });
    const bystanderBefore = (await auditRows(bystander.tenant)).length;

    await expectOneAudit(tenant, customer, { action: "booking.create", entityType: "booking" }, () =>
      api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 86_400_000) }), (r: { id: number }) => r.id);
    const order = await expectOneAudit(tenant, customer, { action: "order.create", entityType: "order" }, () =>
      api.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: product.id, quantity: 2 }] }), (r: { id: number }) => r.id);
    expect(order.details).toEqual({ lines: 1, totalCents: 2000 });
    expect((await auditRows(bystander.tenant)).length).toBe(bystanderBefore);
  });
});

describe("the customer role can append to audit_log what its own procedures write, and do nothing else with it", () => {
  /** One statement in a savepoint as `userId` on the customer role: the SQLSTATE it failed with, or "ok". */
  const attempt = (userId: number, statement: ReturnType<typeof sql>) =>
    scopes.asCustomer(userId, (s) => s.db.transaction(() => s.db.execute(statement)).then(() => "ok", (e: unknown) => sqlState(e) ?? String(e)));

  test("an entry of its own choosing, read, update, delete, forged actor and a closed business's log are all refused (42501)", async () => {
    const { tenant } = await shop();
    const suspended = await shop();
    await setTenantStatus(suspended.tenant.businessId, "suspended");
    const [customer, victim] = [await quickUser(), await quickUser()];
    const row = (business: number, actor: number) =>
      sql`insert into audit_log (business_id, actor_user_id, action, entity_type) values (${business}, ${actor}, 'test.append', 'test')`;

    // Allowed: an entry for an order it places in the same transaction (test/isolation/customer-writes.test.ts has each case).
    expect(await attempt(customer.userId, row(tenant.businessId, customer.userId))).toBe("42501");
    expect(await attempt(customer.userId, row(tenant.businessId, victim.userId))).toBe("42501");
    expect(await attempt(customer.userId, row(suspended.tenant.businessId, customer.userId))).toBe("42501");
    expect(await attempt(customer.userId, sql`select count(*) from audit_log`)).toBe("42501");
    expect(await attempt(customer.userId, sql`update audit_log set action = 'forged' where business_id = ${tenant.businessId}`)).toBe("42501");
    expect(await attempt(customer.userId, sql`delete from audit_log where business_id = ${tenant.businessId}`)).toBe("42501");
    expect(await attempt(customer.userId, sql`truncate audit_log`)).toBe("42501");
    expect(await auditRows(tenant, { action: "test.append" })).toHaveLength(0);
  });
});
