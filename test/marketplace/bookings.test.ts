/**
 * Bookings: a customer books a service, the business sees and moves it through
 * its statuses, and the database (exclusion constraint bookings_no_staff_overlap)
 * refuses two live bookings of one staff member for overlapping times, also when
 * they arrive at once.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { client, expectCode } from "../setup/client.ts";
import { auditRows, countRows, inHours as fromNow, makeBooking, makeService, member, quickUser, shop } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

// One clock reading for the file: times a test compares with each other must not move
// by a minute when a minute boundary passes between two calls.
const start = fromNow(0).getTime();
const inHours = (hours: number) => new Date(start + hours * 3_600_000);

const customerApi = async () => {
  const user = await quickUser();
  return { user, api: client({ token: user.token }) };
};

describe("customer.bookings.create", () => {
  test("the booking copies the service's price and currency and lasts the service's duration", async () => {
    const { owner, tenant } = await shop();
    const service = await makeService(owner, tenant, { durationMinutes: 45, priceCents: 35000, currency: "INR" });
    const { user, api } = await customerApi();
    const startsAt = inHours(26);
    const booking = await api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt, staffUserId: owner.userId, notes: " window seat " });
    expect(booking).toMatchObject({ businessId: tenant.businessId, customerUserId: user.userId, staffUserId: owner.userId, status: "pending", priceCents: 35000, currency: "INR", notes: "window seat" });
    expect(booking.startsAt).toEqual(startsAt);
    expect(booking.endsAt.getTime() - startsAt.getTime()).toBe(45 * 60_000);
  });

  test("a time in the past, or now, is BAD_REQUEST and nothing is written", async () => {
    const { owner, tenant } = await shop();
    const service = await makeService(owner, tenant);
    const { api } = await customerApi();
    for (const startsAt of [inHours(-1), new Date()]) {
      await expectCode(api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt }), "BAD_REQUEST");
    }
    expect(await countRows(tenant, "bookings")).toBe(0);
  });

  test("a staff member who does not work for this business is NOT_FOUND (also one of another business)", async () => {
    const { owner, tenant } = await shop();
    const other = await shop();
    const service = await makeService(owner, tenant);
    const { user, api } = await customerApi();
    for (const staffUserId of [user.userId, other.owner.userId]) {
      await expectCode(api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: inHours(30), staffUserId }), "NOT_FOUND");
    }
    expect(await countRows(tenant, "bookings")).toBe(0);
  });
});

describe("one staff member is never booked twice for overlapping times", () => {
  test("overlap is CONFLICT; back-to-back, another staff member, or no staff member at the same time are fine", async () => {
    const { owner, tenant } = await shop();
    const stylist = await member(tenant, "staff");
    const service = await makeService(owner, tenant, { durationMinutes: 60 });
    const book = async (hours: number, staffUserId?: number) =>
      (await customerApi()).api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: inHours(hours), staffUserId });

    await book(50, owner.userId); // 50:00 - 51:00
    const error = await expectCode(book(50.5, owner.userId), "CONFLICT"); // 50:30 overlaps
    expect(error.message).toMatch(/already booked/);
    await expectCode(book(49.5, owner.userId), "CONFLICT"); // 49:30 - 50:30 overlaps the start
    await book(51, owner.userId); // back to back: [) ranges touch without overlapping
    await book(49, owner.userId);
    await book(50, stylist.userId);
    await book(50);
    await book(50);
    expect(await countRows(tenant, "bookings")).toBe(6);
  });

  test("a cancelled booking frees the slot", async () => {
    const { owner, tenant, api } = await shop();
    const service = await makeService(owner, tenant);
    const slot = { tenantKey: tenant.tenantKey, serviceId: service.id, startsAt: inHours(60), staffUserId: owner.userId };
    const first = await makeBooking(await quickUser(), tenant, slot);
    const { api: second } = await customerApi();
    await expectCode(second.customer.bookings.create.mutate(slot), "CONFLICT");
    await api.bookings.updateStatus.mutate({ id: first.id, status: "cancelled" });
    expect((await second.customer.bookings.create.mutate(slot)).status).toBe("pending");
  });

  test("20 customers booking the same staff slot at once: exactly one succeeds, the other 19 get CONFLICT", async () => {
    const { owner, tenant } = await shop();
    const service = await makeService(owner, tenant, { durationMinutes: 30 });
    const customers = await Promise.all(Array.from({ length: 20 }, () => customerApi()));
    const startsAt = inHours(72);
    const results = await Promise.allSettled(
      customers.map(({ api }) => api.customer.bookings.create.mutate({ tenantKey: tenant.tenantKey, serviceId: service.id, startsAt, staffUserId: owner.userId })),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") await expectCode(Promise.reject(r.reason), "CONFLICT");
    // The losers left nothing behind: one booking, one audit row, and one booking counted against the plan.
    expect(await countRows(tenant, "bookings")).toBe(1);
    expect(await auditRows(tenant, { action: "booking.create" })).toHaveLength(1);
    expect(await countRows(tenant, "customers")).toBe(1);
  });
});

describe("the business's view: bookings.list and bookings.updateStatus", () => {
  test("bookings.list filters by status and by a [from, to) window on startsAt, soonest first", async () => {
    const { owner, tenant, api } = await shop();
    const service = await makeService(owner, tenant);
    const customer = await quickUser();
    const early = await makeBooking(customer, tenant, { serviceId: service.id, startsAt: inHours(10) });
    const late = await makeBooking(customer, tenant, { serviceId: service.id, startsAt: inHours(100) });
    const middle = await makeBooking(customer, tenant, { serviceId: service.id, startsAt: inHours(50) });
    await api.bookings.updateStatus.mutate({ id: middle.id, status: "confirmed" });

    expect((await api.bookings.list.query()).map((b) => b.id)).toEqual([early.id, middle.id, late.id]);
    expect((await api.bookings.list.query({ status: "confirmed" })).map((b) => b.id)).toEqual([middle.id]);
    expect((await api.bookings.list.query({ from: inHours(10), to: inHours(100) })).map((b) => b.id)).toEqual([early.id, middle.id]);
    expect((await api.bookings.list.query({ limit: 1 })).map((b) => b.id)).toEqual([early.id]);
    await expectCode(api.bookings.list.query({ limit: 201 }), "BAD_REQUEST");
  });

  test("status moves pending → confirmed → completed; a finished booking cannot move again (BAD_REQUEST)", async () => {
    const { owner, tenant } = await shop();
    const staff = await member(tenant, "staff"); // staff hold bookings:write by default
    const api = client({ token: staff.token, tenant: tenant.tenantKey });
    const service = await makeService(owner, tenant);
    const booking = await makeBooking(await quickUser(), tenant, { serviceId: service.id });

    await expectCode(api.bookings.updateStatus.mutate({ id: booking.id, status: "completed" }), "BAD_REQUEST"); // must be confirmed first
    expect((await api.bookings.updateStatus.mutate({ id: booking.id, status: "confirmed" })).status).toBe("confirmed");
    expect((await api.bookings.updateStatus.mutate({ id: booking.id, status: "completed" })).status).toBe("completed");
    for (const status of ["pending", "confirmed", "cancelled", "no_show", "completed"] as const) {
      const error = await expectCode(api.bookings.updateStatus.mutate({ id: booking.id, status }), "BAD_REQUEST");
      expect(error.message).toContain("cannot move from completed");
    }
    await expectCode(api.bookings.updateStatus.mutate({ id: booking.id, status: "finished" as "completed" }), "BAD_REQUEST");
    expect(await auditRows(tenant, { action: "booking.status", entityId: booking.id })).toHaveLength(2);
  });
});
