import { and, eq, inArray, sql } from "drizzle-orm";
import { orders, products } from "../../db/schema/index.ts";
import { ConflictError, LimitExceededError, NotFoundError, ValidationError, postgresErrorOf } from "../../lib/errors.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";
import { recordCustomerAudit } from "../audit/record.ts";
import { ensureCustomerRecord, openBusinessId } from "../bookings/customer-context.ts";
import { ORDER_COLUMNS } from "./columns.ts";
import type { CreateOrderInput } from "./schemas.ts";

/** The largest total an order can hold: total_cents is a PostgreSQL integer. */
const MAX_ORDER_TOTAL_CENTS = 2_147_483_647;

/** Same product twice in one order becomes one line; lines are taken in product order so concurrent orders never deadlock. */
function mergeLines(items: CreateOrderInput["items"]) {
  const byProduct = new Map<number, number>();
  for (const item of items) byProduct.set(item.productId, (byProduct.get(item.productId) ?? 0) + item.quantity);
  return [...byProduct.entries()].sort(([a], [b]) => a - b).map(([productId, quantity]) => ({ productId, quantity }));
}

/** What the database refuses an order line for (app.take_stock, the trigger in sql/007), in the customer's words. */
function orderRefusal(error: unknown, productId?: number): Error {
  const pg = postgresErrorOf(error) as { code: string; message?: string } | undefined;
  const limit = /\d+/.exec(pg?.message ?? "")?.[0];
  switch (pg?.code) {
    case "P0001":
      return new ConflictError(`Not enough stock for product ${productId}; the order was not placed`);
    case "P0002":
      return new NotFoundError(`Product ${productId} not found`);
    case "P0007":
      return new LimitExceededError(`You already have ${limit} unpaid orders with this business; pay or wait for one to expire first`);
    case "P0008":
      return new ValidationError(`The order total is more than one order can hold (${MAX_ORDER_TOTAL_CENTS} cents); split it into smaller orders`);
    default:
      return error as Error;
  }
}

/**
 * A customer orders from one business. The order starts empty; each line is added
 * by app.take_stock, which takes the stock (atomic, never negative), writes the
 * line at the product's price and adds it to the total. If any line cannot be
 * served the whole order fails and nothing is written.
 */
export async function createCustomerOrder(scope: CustomerScope, input: CreateOrderInput) {
  const businessId = await openBusinessId(scope, input.tenantRef);
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
  const order = await scope.db
    .insert(orders)
    .values({ businessId, customerUserId: scope.userId, totalCents: 0, currency: visible[0]!.currency })
    .returning({ id: orders.id })
    .then(([row]) => row!, (error) => Promise.reject(orderRefusal(error)));

  for (const line of lines) {
    await scope.db
      .execute(sql`select 1 from app.take_stock(${businessId}, ${line.productId}, ${line.quantity}, ${order.id})`)
      .catch((error) => Promise.reject(orderRefusal(error, line.productId)));
  }
  const [placed] = await scope.db.select(ORDER_COLUMNS).from(orders).where(and(eq(orders.businessId, businessId), eq(orders.id, order.id)));
  await recordCustomerAudit(scope, businessId, { action: "order.create", entityType: "order", entityId: order.id, details: { lines: lines.length, totalCents: placed!.totalCents } });
  await scope.jobs.forBusiness(businessId).send("email.order-confirmation", { orderId: order.id });
  return { ...placed!, items: lines };
}
