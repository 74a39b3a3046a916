import { and, eq, sql } from "drizzle-orm";
import { bookings, services } from "../../db/schema/index.ts";
import { ConflictError, NotFoundError, ValidationError, postgresErrorOf } from "../../lib/errors.ts";
import type { CustomerScope } from "../../tenancy/scopes.ts";
import { recordCustomerAudit } from "../audit/record.ts";
import { ensureCustomerRecord, openBusinessId } from "./customer-context.ts";
import { consumeBookingQuota } from "../subscriptions/limits.ts";
import type { CreateBookingInput } from "./schemas.ts";

const isOverlap = (error: unknown) => postgresErrorOf(error)?.code === "23P01";

/** A customer books a service; the database refuses a second booking of one staff member for an overlapping time. */
export async function createCustomerBooking(scope: CustomerScope, input: CreateBookingInput, now = new Date()) {
  if (input.startsAt.getTime() <= now.getTime()) throw new ValidationError("startsAt must be in the future");
  const businessId = await openBusinessId(scope, input.tenantKey);
  const [service] = await scope.db
    .select()
    .from(services)
    .where(and(eq(services.businessId, businessId), eq(services.id, input.serviceId)));
  if (!service) throw new NotFoundError(`Service ${input.serviceId} not found`);
  if (input.staffUserId !== undefined) {
    const [staff] = (await scope.db.execute(sql`select app.is_member_of(${businessId}, ${input.staffUserId}) as ok`)) as unknown as { ok: boolean }[];
    if (!staff?.ok) throw new NotFoundError(`Staff member ${input.staffUserId} not found`);
  }
  await ensureCustomerRecord(scope, businessId);
  await consumeBookingQuota(scope, businessId, now);

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
      .returning();
  } catch (error) {
    if (isOverlap(error)) throw new ConflictError("That staff member is already booked for an overlapping time");
    throw error;
  }
  await recordCustomerAudit(scope, businessId, { action: "booking.create", entityType: "booking", entityId: row!.id });
  // In this transaction: no booking, no e-mail; and the job runs as the business, not as the customer.
  await scope.jobs.forBusiness(businessId).send("email.booking-confirmation", { bookingId: row!.id });
  return row!;
}
