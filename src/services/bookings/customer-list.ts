import { desc, eq } from "drizzle-orm";
import { bookings, businessTenants } from "../../db/schema/index.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";

/** The caller's own bookings across every business (RLS shows no one else's). */
export function listCustomerBookings(scope: CustomerScope) {
  return scope.db
    .select({
      id: bookings.id,
      businessId: bookings.businessId,
      businessName: businessTenants.name,
      tenantKey: businessTenants.tenantKey,
      serviceId: bookings.serviceId,
      staffUserId: bookings.staffUserId,
      startsAt: bookings.startsAt,
      endsAt: bookings.endsAt,
      status: bookings.status,
      priceCents: bookings.priceCents,
      currency: bookings.currency,
    })
    .from(bookings)
    .leftJoin(businessTenants, eq(businessTenants.id, bookings.businessId))
    .where(eq(bookings.customerUserId, scope.userId))
    .orderBy(desc(bookings.startsAt));
}
