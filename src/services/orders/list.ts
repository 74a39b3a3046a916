import { desc, eq } from "drizzle-orm";
import { orders } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

/** The business's orders, newest first. */
export function listOrders(scope: TenantScope, limit = 50) {
  return scope.db.select().from(orders).where(eq(orders.businessId, scope.businessId)).orderBy(desc(orders.id)).limit(limit);
}
