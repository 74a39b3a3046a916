/**
 * Pending (unpaid) orders hold the stock app.take_stock took for them. Past the
 * hold time an order is cancelled and its stock returned, with a ledger entry
 * per line (inventory_movements, reason 'hold_expired') and an audit row, so the
 * stock still equals the sum of its ledger. Each order is released at most once:
 * the status change is conditional on 'pending' and the release is recorded as
 * an effect in the same transaction.
 */
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { inventoryMovements, orderItems, orders, products } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { recordEffect } from "../jobs/effects.ts";

export interface ReleaseOptions {
  holdMinutes: number;
  now?: Date;
  /** At most this many orders per call (one transaction); the next sweep takes the rest. */
  limit?: number;
  jobId?: string;
}

export interface ReleaseResult {
  released: number[];
  remaining: boolean;
}

async function releaseOne(scope: TenantScope, orderId: number, jobId: string | undefined): Promise<boolean> {
  if (!(await recordEffect(scope, `order:release-hold:${orderId}`, jobId))) return false;
  const [cancelled] = await scope.db
    .update(orders)
    .set({ status: "cancelled", updatedAt: sql`now()` })
    .where(and(eq(orders.businessId, scope.businessId), eq(orders.id, orderId), eq(orders.status, "pending")))
    .returning({ id: orders.id });
  if (!cancelled) return false;
  const lines = await scope.db
    .select({ productId: orderItems.productId, quantity: orderItems.quantity })
    .from(orderItems)
    .where(and(eq(orderItems.businessId, scope.businessId), eq(orderItems.orderId, orderId)))
    .orderBy(asc(orderItems.productId)); // the order app.take_stock locked them in: no deadlock with a concurrent order
  for (const line of lines) {
    await scope.db
      .update(products)
      .set({ stock: sql`${products.stock} + ${line.quantity}`, updatedAt: sql`now()` })
      .where(and(eq(products.businessId, scope.businessId), eq(products.id, line.productId)));
    await scope.db
      .insert(inventoryMovements)
      .values({ businessId: scope.businessId, productId: line.productId, delta: line.quantity, reason: "hold_expired", orderId });
  }
  await recordAudit(scope, { action: "order.hold_expired", entityType: "order", entityId: orderId, details: { lines: lines.length } });
  return true;
}

export async function releaseExpiredHolds(scope: TenantScope, options: ReleaseOptions): Promise<ReleaseResult> {
  const { holdMinutes, now = new Date(), limit = 200, jobId } = options;
  const cutoff = new Date(now.getTime() - holdMinutes * 60_000);
  const due = await scope.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.businessId, scope.businessId), eq(orders.status, "pending"), lt(orders.createdAt, cutoff)))
    .orderBy(asc(orders.createdAt))
    .limit(limit + 1)
    .for("update", { skipLocked: true });
  const released: number[] = [];
  for (const { id } of due.slice(0, limit)) if (await releaseOne(scope, id, jobId)) released.push(id);
  return { released, remaining: due.length > limit };
}
