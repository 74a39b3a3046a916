/**
 * What raw SQL on the customer connection can write, with the customer's own
 * genuine context: exactly what the customer procedures write, nothing more. A
 * booking is pending at the service's price; an order starts empty and pending
 * and only app.take_stock adds lines and total; a customer can only cancel; audit
 * rows only for a booking or order made in the same transaction. Each refusal has
 * its control (the legitimate write succeeds).
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { sql, type SQL } from "drizzle-orm";
import { outcome } from "../setup/db-errors.ts";
import { inHours, makeBooking, makeOrder, makeProduct, makeService, type Principal, quickUser, shop, type TestTenant } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { rolledBack } from "../setup/rollback.ts";
import type { ScopedDb } from "../../src/tenancy/transaction.ts";

let tenant: TestTenant, other: TestTenant, alice: Principal;
let service: { id: number; priceCents: number; currency: string; durationMinutes: number };
let product: { id: number };
beforeAll(async () => {
  const [a, b] = await Promise.all([shop(), shop()]);
  [tenant, other] = [a.tenant, b.tenant];
  service = await makeService(a.owner, tenant, { priceCents: 2500, durationMinutes: 45 });
  product = await makeProduct(a.owner, tenant, { stock: 50, priceCents: 700 });
  alice = await quickUser();
});

/** As alice, in one transaction rolled back afterwards: the statements' outcomes, "ok" or their SQLSTATE. */
function asAlice(...statements: ((ids: { orderId?: number }) => SQL)[]): Promise<string[]> {
  return rolledBack(
    (run: (db: ScopedDb) => Promise<never>) => scopes.asCustomer(alice.userId, (s) => run(s.db)),
    async (db) => {
      const out: string[] = [];
      const ids: { orderId?: number } = {};
      for (const statement of statements) {
        const { rows, code, message } = await outcome(db.transaction(() => db.execute(statement(ids))));
        if (rows?.[0] && "id" in rows[0]) ids.orderId = Number(rows[0].id);
        out.push(rows ? "ok" : (code ?? String(message)));
      }
      return out;
    },
  );
}

const booking = (overrides: { status?: string; priceCents?: number; minutes?: number } = {}) => () => {
  const startsAt = inHours(48);
  const endsAt = new Date(startsAt.getTime() + (overrides.minutes ?? service.durationMinutes) * 60_000);
  return sql`insert into public.bookings (business_id, service_id, customer_user_id, starts_at, ends_at, status, price_cents, currency)
             values (${tenant.businessId}, ${service.id}, ${alice.userId}, ${startsAt.toISOString()}, ${endsAt.toISOString()},
                     ${overrides.status ?? "pending"}, ${overrides.priceCents ?? service.priceCents}, ${service.currency}) returning id`;
};
const order = (overrides: { status?: string; totalCents?: number } = {}) => () =>
  sql`insert into public.orders (business_id, customer_user_id, status, total_cents, currency)
      values (${tenant.businessId}, ${alice.userId}, ${overrides.status ?? "pending"}, ${overrides.totalCents ?? 0}, 'INR') returning id`;

describe("bookings", () => {
  test("control: a pending booking at the service's price and duration is accepted", async () => {
    expect(await asAlice(booking())).toEqual(["ok"]);
  });

  test("already confirmed, at price 0, or shorter than the service: refused by the policy", async () => {
    expect(await asAlice(booking({ status: "confirmed" }), booking({ priceCents: 0 }), booking({ minutes: 1 }))).toEqual(["42501", "42501", "42501"]);
  });

  test("a customer may cancel its own booking, and nothing else: no confirming, no repricing", async () => {
    const mine = await makeBooking(alice, tenant, { serviceId: service.id });
    const set = (assignment: SQL) => () => sql`update public.bookings set ${assignment} where business_id = ${tenant.businessId} and id = ${mine.id} returning id`;
    expect(await asAlice(set(sql`status = 'confirmed'`))).toEqual(["42501"]);
    expect(await asAlice(set(sql`price_cents = 0`))).toEqual(["42501"]);
    expect(await asAlice(set(sql`status = 'cancelled'`))).toEqual(["ok"]);
  });
});

describe("orders", () => {
  test("control: an empty pending order, then a line through app.take_stock, at the product's price", async () => {
    const outcome = await asAlice(order(), ({ orderId }) => sql`select * from app.take_stock(${tenant.businessId}, ${product.id}, 2, ${orderId})`);
    expect(outcome).toEqual(["ok", "ok"]);
  });

  test("an order born paid, or with a total, is refused", async () => {
    expect(await asAlice(order({ status: "paid" }), order({ totalCents: 1 }))).toEqual(["42501", "42501"]);
  });

  test("no direct order lines, and no update of an order's status or total", async () => {
    const placed = await makeOrder(alice, tenant, [{ productId: product.id, quantity: 1 }]);
    const outcome = await asAlice(
      () => sql`insert into public.order_items (business_id, order_id, product_id, customer_user_id, quantity, unit_price_cents)
                values (${tenant.businessId}, ${placed.id}, ${product.id}, ${alice.userId}, 100, 0) returning id`,
      () => sql`update public.orders set status = 'paid' where business_id = ${tenant.businessId} and id = ${placed.id} returning id`,
      () => sql`update public.orders set total_cents = 0 where business_id = ${tenant.businessId} and id = ${placed.id} returning id`,
    );
    expect(outcome).toEqual(["42501", "42501", "42501"]);
  });
});

describe("audit rows", () => {
  const audit = (businessId: () => number, entityType: string, entityId: (ids: { orderId?: number }) => string) => (ids: { orderId?: number }) =>
    sql`insert into public.audit_log (business_id, actor_user_id, action, entity_type, entity_id, details)
        values (${businessId()}, ${alice.userId}, 'order.create', ${entityType}, ${entityId(ids)}, '{}')`;

  test("control: one for the order made in the same transaction", async () => {
    expect(await asAlice(order(), audit(() => tenant.businessId, "order", (ids) => String(ids.orderId)))).toEqual(["ok", "ok"]);
  });

  test("none for another business, for an older order, or for something else", async () => {
    const earlier = await makeOrder(alice, tenant, [{ productId: product.id, quantity: 1 }]);
    const outcome = await asAlice(
      order(),
      audit(() => other.businessId, "order", (ids) => String(ids.orderId)),
      audit(() => tenant.businessId, "order", () => String(earlier.id)),
      audit(() => tenant.businessId, "product", () => String(product.id)),
    );
    expect(outcome).toEqual(["ok", "42501", "42501", "42501"]);
  });
});
