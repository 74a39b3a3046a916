import { desc, eq } from "drizzle-orm";
import { pick } from "../../db/pick.ts";
import { bookings, businessTenants } from "../../db/schema/index.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";
import { CUSTOMER_BUSINESS_COLUMNS } from "./columns.ts";
import { CustomerBookingView } from "./schemas.ts";

const COLUMNS = { ...pick(bookings, CustomerBookingView.omit({ businessName: true, tenantKey: true })), ...CUSTOMER_BUSINESS_COLUMNS };

/** The caller's own bookings across every business (RLS shows no one else's). */
export function listCustomerBookings(scope: CustomerScope): Promise<CustomerBookingView[]> {
  return scope.db
    .select(COLUMNS)
    .from(bookings)
    .leftJoin(businessTenants, eq(businessTenants.id, bookings.businessId))
    .where(eq(bookings.customerUserId, scope.userId))
    .orderBy(desc(bookings.startsAt));
}
