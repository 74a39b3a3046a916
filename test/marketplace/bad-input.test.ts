/**
 * Bad input and unknown ids, for every marketplace mutation (and the queries
 * that take input): malformed input is BAD_REQUEST with the zod issues, an id
 * that does not exist is NOT_FOUND, never a 500, and a refused call writes
 * nothing (row counts of every marketplace table, read as the business, are the
 * same before and after). Includes values JS accepts but PostgreSQL cannot hold
 * (NUL characters, dates beyond timestamptz), which used to surface as 500s.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { makeBooking, makeProduct, makeService, member, quickUser, shop, snapshot } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

const TABLES = ["categories", "products", "services", "bookings", "orders", "order_items", "inventory_movements", "customers", "business_access", "audit_log", "usage_counters"];
const BIG = Number.MAX_SAFE_INTEGER; // a valid id (bigint columns) that no row has
const FAR_FUTURE = new Date(8.64e15); // the largest JS date, year 275760
const FAR_PAST = new Date(-8.64e15);

type Api = ReturnType<typeof client>;
type Case = [label: string, call: () => Promise<unknown>];

/** Each call must fail with `code` (BAD_REQUEST ones from zod, with issues); the business's rows must not change. */
async function expectRefusedWithoutWrites(tenant: { businessId: number }, code: "BAD_REQUEST" | "NOT_FOUND", cases: Case[]) {
  const before = await snapshot(tenant, TABLES);
  for (const [label, call] of cases) {
    const error = await expectCode(call(), code).catch((e) => {
      throw new Error(`${label}: ${e}`);
    });
    if (code === "BAD_REQUEST") expect({ label, zod: error.data?.zodError != null }).toEqual({ label, zod: true });
  }
  expect(await snapshot(tenant, TABLES)).toEqual(before);
}

async function arrange() {
  const s = await shop();
  const product = await makeProduct(s.owner, s.tenant, { stock: 5 });
  const service = await makeService(s.owner, s.tenant);
  const booking = await makeBooking(await quickUser(), s.tenant, { serviceId: service.id });
  const staff = await member(s.tenant, "staff");
  return { ...s, product, service, booking, staff };
}

describe("tenant procedures", () => {
  test("malformed input → BAD_REQUEST with zod issues; nothing written", async () => {
    const { tenant, api, product, booking } = await arrange();
    const p = { name: "Okra", priceCents: 100 };
    const x = (v: unknown) => v as never; // deliberately ill-typed input, as a hand-written client could send
    await expectRefusedWithoutWrites(tenant, "BAD_REQUEST", [
      ["category without name", () => api.categories.create.mutate(x({}))],
      ["category name a number", () => api.categories.create.mutate(x({ name: 5 }))],
      ["category name with NUL", () => api.categories.create.mutate({ name: "a\u0000b" })],
      ["category description too long", () => api.categories.create.mutate({ name: "ok", description: "x".repeat(2001) })],
      ["fractional cents", () => api.products.create.mutate({ ...p, priceCents: 1.5 })],
      ["negative price", () => api.products.create.mutate({ ...p, priceCents: -1 })],
      ["price beyond the cap", () => api.products.create.mutate({ ...p, priceCents: 100_000_001 })],
      ["price as a string", () => api.products.create.mutate(x({ ...p, priceCents: "100" }))],
      ["currency not ISO", () => api.products.create.mutate({ ...p, currency: "RS" })],
      ["negative stock", () => api.products.create.mutate({ ...p, stock: -1 })],
      ["created archived", () => api.products.create.mutate(x({ ...p, status: "archived" }))],
      ["product name with NUL", () => api.products.create.mutate({ ...p, name: "a\u0000" })],
      ["product description with NUL", () => api.products.create.mutate({ ...p, description: "\u0000" })],
      ["category id 0", () => api.products.create.mutate({ ...p, categoryId: 0 })],
      ["update id as a string", () => api.products.update.mutate(x({ id: String(product.id), name: "x" }))],
      ["update id beyond 2^53", () => api.products.update.mutate({ id: 2 ** 53 + 2, name: "x" })],
      ["update to an unknown status", () => api.products.update.mutate(x({ id: product.id, status: "gone" }))],
      ["update stock negative", () => api.products.update.mutate({ id: product.id, stock: -1 })],
      ["update name with NUL", () => api.products.update.mutate({ id: product.id, name: "\u0000" })],
      ["delete id negative", () => api.products.delete.mutate({ id: -1 })],
      ["delete without id", () => api.products.delete.mutate(x({}))],
      ["service name with NUL", () => api.services.create.mutate({ name: "\u0000", durationMinutes: 30, priceCents: 1 })],
      ["booking status unknown", () => api.bookings.updateStatus.mutate(x({ id: booking.id, status: "done" }))],
      ["booking id as a string", () => api.bookings.updateStatus.mutate(x({ id: "1", status: "confirmed" }))],
      ["invite a malformed e-mail", () => api.members.invite.mutate({ email: "not-an-email", role: "staff" })],
      ["invite as owner", () => api.members.invite.mutate(x({ email: "a@example.test", role: "owner" }))],
      ["remove user 0", () => api.members.remove.mutate({ userId: 0 })],
    ]);
  });

  test("unknown ids → NOT_FOUND; nothing written", async () => {
    const { tenant, api, product } = await arrange();
    await expectRefusedWithoutWrites(tenant, "NOT_FOUND", [
      ["get", () => api.products.get.query({ id: BIG })],
      ["update", () => api.products.update.mutate({ id: BIG, name: "x" })],
      ["delete", () => api.products.delete.mutate({ id: BIG })],
      ["create in an unknown category", () => api.products.create.mutate({ name: "x", priceCents: 1, categoryId: BIG })],
      ["move to an unknown category", () => api.products.update.mutate({ id: product.id, categoryId: BIG })],
      ["booking status", () => api.bookings.updateStatus.mutate({ id: BIG, status: "confirmed" })],
      ["remove a member", () => api.members.remove.mutate({ userId: BIG })],
      ["invite an unknown e-mail", () => api.members.invite.mutate({ email: `nobody-${crypto.randomUUID()}@example.test`, role: "staff" })],
    ]);
  });

  test("queries: dates PostgreSQL cannot hold and other malformed filters are BAD_REQUEST, not 500", async () => {
    const { tenant, api } = await arrange();
    const x = (v: unknown) => v as never;
    await expectRefusedWithoutWrites(tenant, "BAD_REQUEST", [
      ["from in year -271821", () => api.bookings.list.query({ from: FAR_PAST })],
      ["to in year 275760", () => api.bookings.list.query({ to: FAR_FUTURE })],
      ["unknown status", () => api.bookings.list.query(x({ status: "done" }))],
      ["limit 0", () => api.bookings.list.query({ limit: 0 })],
      ["product id as a string", () => api.products.get.query(x({ id: "abc" }))],
    ]);
  });
});

describe("customer procedures", () => {
  test("malformed bookings and orders → BAD_REQUEST with zod issues; nothing written", async () => {
    const { tenant, product, service } = await arrange();
    const api = client({ token: (await quickUser()).token });
    const b = { tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: new Date(Date.now() + 86_400_000) };
    const o = (items: unknown) => api.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: items as never });
    await expectRefusedWithoutWrites(tenant, "BAD_REQUEST", [
      ["startsAt not a date", () => api.customer.bookings.create.mutate({ ...b, startsAt: "tomorrow" as never })],
      ["startsAt in year 275760", () => api.customer.bookings.create.mutate({ ...b, startsAt: FAR_FUTURE })],
      ["startsAt in year -271821", () => api.customer.bookings.create.mutate({ ...b, startsAt: FAR_PAST })],
      ["serviceId 0", () => api.customer.bookings.create.mutate({ ...b, serviceId: 0 })],
      ["staffUserId negative", () => api.customer.bookings.create.mutate({ ...b, staffUserId: -1 })],
      ["notes with NUL", () => api.customer.bookings.create.mutate({ ...b, notes: "ring\u0000bell" })],
      ["notes too long", () => api.customer.bookings.create.mutate({ ...b, notes: "x".repeat(1001) })],
      ["malformed tenantKey", () => api.customer.bookings.create.mutate({ ...b, tenantKey: "Bad Key!" })],
      ["no items", () => o([])],
      ["51 items", () => o(Array.from({ length: 51 }, () => ({ productId: product.id, quantity: 1 })))],
      ["quantity 0", () => o([{ productId: product.id, quantity: 0 }])],
      ["quantity 1001", () => o([{ productId: product.id, quantity: 1001 }])],
      ["fractional quantity", () => o([{ productId: product.id, quantity: 1.5 }])],
      ["productId as a string", () => o([{ productId: String(product.id), quantity: 1 }])],
    ]);
  });

  test("a booking whose end (start + the service's duration) would pass 9999-12-31 → BAD_REQUEST; nothing written", async () => {
    const { tenant, owner } = await arrange();
    const dayLong = await makeService(owner, tenant, { durationMinutes: 1440 });
    const api = client({ token: (await quickUser()).token });
    const startsAt = new Date("9999-12-31T12:00:00Z"); // a valid start on its own; the end is in year 10000
    await expectRefusedWithoutWrites(tenant, "BAD_REQUEST", [
      ["ends in year 10000", () => api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: dayLong.id, startsAt })],
    ]);
  });

  test("unknown service, staff member or product → NOT_FOUND; nothing written", async () => {
    const { tenant, product, service } = await arrange();
    const api = client({ token: (await quickUser()).token });
    const startsAt = new Date(Date.now() + 86_400_000);
    await expectRefusedWithoutWrites(tenant, "NOT_FOUND", [
      ["service", () => api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: BIG, startsAt })],
      ["staff member", () => api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt, staffUserId: BIG })],
      ["product", () => api.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: BIG, quantity: 1 }] })],
      // One good line does not save an order with an unknown one.
      ["product among known ones", () => api.customer.orders.create.mutate({ tenantKey: tenant.tenantKey, items: [{ productId: product.id, quantity: 1 }, { productId: BIG, quantity: 1 }] })],
    ]);
  });
});
