import { desc, eq } from "drizzle-orm";
import { orders } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { ORDER_COLUMNS } from "./columns.ts";
import type { OrderView } from "./schemas.ts";

/** The business's orders, newest first. */
export function listOrders(scope: TenantScope, limit = 50): Promise<OrderView[]> {
  return scope.db.select(ORDER_COLUMNS).from(orders).where(eq(orders.businessId, scope.businessId)).orderBy(desc(orders.id)).limit(limit);
}
