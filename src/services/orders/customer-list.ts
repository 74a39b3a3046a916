import { desc, eq, inArray } from "drizzle-orm";
import { pick } from "../../db/pick.ts";
import { businessTenants, orderItems, orders } from "../../db/schema/index.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";
import { CUSTOMER_BUSINESS_COLUMNS } from "../bookings/columns.ts";
import { CustomerOrderView } from "./schemas.ts";

const COLUMNS = { ...pick(orders, CustomerOrderView.omit({ businessName: true, tenantKey: true, items: true })), ...CUSTOMER_BUSINESS_COLUMNS };

/** The caller's own orders with their lines, across every business. */
export async function listCustomerOrders(scope: CustomerScope): Promise<CustomerOrderView[]> {
  const rows = await scope.db
    .select(COLUMNS)
    .from(orders)
    .leftJoin(businessTenants, eq(businessTenants.id, orders.businessId))
    .where(eq(orders.customerUserId, scope.userId))
    .orderBy(desc(orders.createdAt), desc(orders.id));
  const items = rows.length
    ? await scope.db
        .select({
          orderId: orderItems.orderId,
          businessId: orderItems.businessId,
          productId: orderItems.productId,
          quantity: orderItems.quantity,
          unitPriceCents: orderItems.unitPriceCents,
        })
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
