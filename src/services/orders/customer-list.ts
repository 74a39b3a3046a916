import { desc, eq, inArray } from "drizzle-orm";
import { businessTenants, orderItems, orders } from "../../db/schema/index.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";

/** The caller's own orders with their lines, across every business. */
export async function listCustomerOrders(scope: CustomerScope) {
  const rows = await scope.db
    .select({
      id: orders.id,
      businessId: orders.businessId,
      businessName: businessTenants.name,
      tenantKey: businessTenants.tenantKey,
      status: orders.status,
      totalCents: orders.totalCents,
      currency: orders.currency,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .leftJoin(businessTenants, eq(businessTenants.id, orders.businessId))
    .where(eq(orders.customerUserId, scope.userId))
    .orderBy(desc(orders.createdAt), desc(orders.id));
  const items = rows.length
    ? await scope.db
        .select()
        .from(orderItems)
        .where(inArray(orderItems.orderId, rows.map((r) => r.id)))
    : [];
  return rows.map((order) => ({
    ...order,
    items: items
      .filter((i) => i.orderId === order.id && i.businessId === order.businessId)
      .map((i) => ({ productId: i.productId, quantity: i.quantity, unitPriceCents: i.unitPriceCents })),
  }));
}
