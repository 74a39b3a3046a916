import { and, eq, inArray, sql } from "drizzle-orm";
import { orderItems, orders, products } from "../../db/schema/index.ts";
import { ConflictError, NotFoundError, ValidationError, postgresErrorOf } from "../../lib/errors.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";
import { recordCustomerAudit } from "../audit/record.ts";
import { ensureCustomerRecord, openBusinessId } from "../bookings/customer-context.ts";
import type { CreateOrderInput } from "./schemas.ts";

/** The largest total an order can hold: total_cents is a PostgreSQL integer. */
const MAX_ORDER_TOTAL_CENTS = 2_147_483_647;

/** Same product twice in one order becomes one line; lines are taken in product order so concurrent orders never deadlock. */
function mergeLines(items: CreateOrderInput["items"]) {
  const byProduct = new Map<number, number>();
  for (const item of items) byProduct.set(item.productId, (byProduct.get(item.productId) ?? 0) + item.quantity);
  return [...byProduct.entries()].sort(([a], [b]) => a - b).map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * A customer orders from one business. Stock is taken line by line with
 * app.take_stock (atomic, never negative); if any line cannot be served the
 * whole order fails with CONFLICT and nothing is written.
 */
export async function createCustomerOrder(scope: CustomerScope, input: CreateOrderInput) {
  const businessId = await openBusinessId(scope, input.tenantKey);
  const lines = mergeLines(input.items);
  const visible = await scope.db
    .select({ id: products.id, currency: products.currency })
    .from(products)
    .where(and(eq(products.businessId, businessId), inArray(products.id, lines.map((l) => l.productId))));
  const missing = lines.find((l) => !visible.some((p) => p.id === l.productId));
  if (missing) throw new NotFoundError(`Product ${missing.productId} not found`);
  const currencies = new Set(visible.map((p) => p.currency));
  if (currencies.size > 1) throw new ValidationError("All items of an order must be priced in one currency");

  await ensureCustomerRecord(scope, businessId);
  const [order] = await scope.db
    .insert(orders)
    .values({ businessId, customerUserId: scope.userId, totalCents: 0, currency: visible[0]!.currency })
    .returning();

  let total = 0;
  for (const line of lines) {
    let taken: { unit_price_cents: number; name: string } | undefined;
    try {
      [taken] = (await scope.db.execute(
        sql`select unit_price_cents, name from app.take_stock(${businessId}, ${line.productId}, ${line.quantity}, ${order!.id})`,
      )) as unknown as { unit_price_cents: number; name: string }[];
    } catch (error) {
      const code = postgresErrorOf(error)?.code;
      if (code === "P0001") throw new ConflictError(`Not enough stock for product ${line.productId}; the order was not placed`);
      if (code === "P0002") throw new NotFoundError(`Product ${line.productId} not found`);
      throw error;
    }
    total += taken!.unit_price_cents * line.quantity;
    await scope.db.insert(orderItems).values({
      businessId,
      orderId: order!.id,
      productId: line.productId,
      customerUserId: scope.userId,
      quantity: line.quantity,
      unitPriceCents: taken!.unit_price_cents,
    });
  }
  // total_cents is an integer column: a larger total would fail in the database with a vague message.
  if (total > MAX_ORDER_TOTAL_CENTS) {
    throw new ValidationError(`The order total (${total} cents) is more than one order can hold (${MAX_ORDER_TOTAL_CENTS} cents); split it into smaller orders`);
  }
  const [placed] = await scope.db
    .update(orders)
    .set({ totalCents: total, updatedAt: sql`now()` })
    .where(and(eq(orders.businessId, businessId), eq(orders.id, order!.id)))
    .returning();
  await recordCustomerAudit(scope, businessId, { action: "order.create", entityType: "order", entityId: order!.id, details: { lines: lines.length, totalCents: total } });
  await scope.jobs.forBusiness(businessId).send("email.order-confirmation", { orderId: order!.id });
  return { ...placed!, items: lines };
}
