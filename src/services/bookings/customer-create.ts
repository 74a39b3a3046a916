import { and, eq, sql } from "drizzle-orm";
import { bookings, services } from "../../db/schema/index.ts";
import { ConflictError, LimitExceededError, NotFoundError, ValidationError, postgresErrorOf } from "../../lib/errors.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";
import { rows } from "../../tenancy/rows.ts";
import { recordCustomerAudit } from "../audit/record.ts";
import { CUSTOMER_QUOTA_REFUSAL } from "../subscriptions/limits.ts";
import { ensureCustomerRecord, openBusinessId } from "./customer-context.ts";
import { BOOKING_COLUMNS } from "./columns.ts";
import type { CreateBookingInput } from "./schemas.ts";

/**
 * What the database refuses a new booking for (the trigger in sql/007, the
 * exclusion constraint), in words a customer can act on. A business's plan and
 * usage are its members' business: a customer only learns it is not taking more.
 */
function bookingRefusal(error: unknown): Error {
  const pg = postgresErrorOf(error) as { code: string; message?: string } | undefined;
  const limit = /\d+/.exec(pg?.message ?? "")?.[0];
  switch (pg?.code) {
    case "23P01":
      return new ConflictError("That staff member is already booked for an overlapping time");
    case "P0003":
      return new LimitExceededError(CUSTOMER_QUOTA_REFUSAL);
    case "P0005":
      return new ValidationError(`This business takes bookings up to ${limit} days ahead`);
    case "P0006":
      return new LimitExceededError(`You already hold ${limit} open bookings with this business; cancel one or wait until one has passed`);
    default:
      return error as Error;
  }
}

/** A customer books a service; the database refuses a second booking of one staff member for an overlapping time. */
export async function createCustomerBooking(scope: CustomerScope, input: CreateBookingInput, now = new Date()) {
  if (input.startsAt.getTime() <= now.getTime()) throw new ValidationError("startsAt must be in the future");
  const businessId = await openBusinessId(scope, input.tenantRef);
  const [service] = await scope.db
    .select()
    .from(services)
    .where(and(eq(services.businessId, businessId), eq(services.id, input.serviceId)));
  if (!service) throw new NotFoundError(`Service ${input.serviceId} not found`);
  if (input.staffUserId !== undefined) {
    const [staff] = await rows<{ ok: boolean }>(scope.db, sql`select app.is_member_of(${businessId}, ${input.staffUserId}) as ok`);
    if (!staff?.ok) throw new NotFoundError(`Staff member ${input.staffUserId} not found`);
  }
  await ensureCustomerRecord(scope, businessId);

  // No end-of-range check: BookingStart leaves room for the longest service the database allows.
  const endsAt = new Date(input.startsAt.getTime() + service.durationMinutes * 60_000);
  let row;
  try {
    [row] = await scope.db
      .insert(bookings)
      .values({
        businessId,
        serviceId: service.id,
        customerUserId: scope.userId,
        staffUserId: input.staffUserId,
        startsAt: input.startsAt,
        endsAt,
        priceCents: service.priceCents,
        currency: service.currency,
        notes: input.notes,
      })
      .returning(BOOKING_COLUMNS);
  } catch (error) {
    throw bookingRefusal(error);
  }
  await recordCustomerAudit(scope, businessId, { action: "booking.create", entityType: "booking", entityId: row!.id });
  // In this transaction: no booking, no e-mail; and the job runs as the business, not as the customer.
  await scope.jobs.forBusiness(businessId).send("email.booking-confirmation", { bookingId: row!.id });
  return row!;
}
