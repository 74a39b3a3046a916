import { and, asc, eq, gte, lt } from "drizzle-orm";
import { bookings } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { BOOKING_COLUMNS } from "./columns.ts";
import type { BookingView, ListBookingsInput } from "./schemas.ts";

/** The business's bookings, soonest first. */
export function listBookings(scope: TenantScope, input: ListBookingsInput): Promise<BookingView[]> {
  return scope.db
    .select(BOOKING_COLUMNS)
    .from(bookings)
    .where(
      and(
        eq(bookings.businessId, scope.businessId),
        input.status ? eq(bookings.status, input.status) : undefined,
        input.from ? gte(bookings.startsAt, input.from) : undefined,
        input.to ? lt(bookings.startsAt, input.to) : undefined,
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id))
    .limit(input.limit);
}
