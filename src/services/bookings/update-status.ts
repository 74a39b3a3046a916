import { and, eq, sql } from "drizzle-orm";
import { bookings } from "../../db/schema/index.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { BOOKING_COLUMNS } from "./columns.ts";
import { BOOKING_TRANSITIONS, type BookingView, type UpdateBookingStatusInput } from "./schemas.ts";

export async function updateBookingStatus(scope: TenantScope, input: UpdateBookingStatusInput): Promise<BookingView> {
  const [booking] = await scope.db
    .select({ status: bookings.status })
    .from(bookings)
    .where(and(eq(bookings.businessId, scope.businessId), eq(bookings.id, input.id)))
    .for("update");
  if (!booking) throw new NotFoundError(`Booking ${input.id} not found`);
  if (!BOOKING_TRANSITIONS[booking.status].includes(input.status)) {
    throw new ValidationError(`A booking cannot move from ${booking.status} to ${input.status}`);
  }
  const [row] = await scope.db
    .update(bookings)
    .set({ status: input.status, updatedAt: sql`now()` })
    .where(and(eq(bookings.businessId, scope.businessId), eq(bookings.id, input.id)))
    .returning(BOOKING_COLUMNS);
  await recordAudit(scope, { action: "booking.status", entityType: "booking", entityId: input.id, details: { from: booking.status, to: input.status } });
  return row!;
}
