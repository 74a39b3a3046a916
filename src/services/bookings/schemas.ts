import { z } from "zod";
import { bookingStatus, type BookingStatus } from "../../db/schema/enums.ts";
import { Id, Instant, LATEST_INSTANT, OutText, Text } from "../../lib/schemas.ts";
import { withTenantRef } from "../../tenancy/tenant-ref.ts";
import { MAX_SERVICE_MINUTES } from "../catalog/schemas.ts";

export const BOOKING_STATUSES = bookingStatus.enumValues;
export type { BookingStatus };

/**
 * A booking ends `durationMinutes` after it starts, so its start must leave room
 * for the longest service: otherwise the end would pass what timestamptz (and
 * Instant) holds. This holds whatever booking horizon a business sets.
 */
export const BookingStart = Instant.max(
  new Date(LATEST_INSTANT.getTime() - MAX_SERVICE_MINUTES * 60_000),
  "must leave room for the booking to end before the year 10000",
);

export const CreateBookingInput = withTenantRef({
  serviceId: Id,
  startsAt: BookingStart,
  staffUserId: Id.optional(),
  notes: Text(1000).optional(),
});
export type CreateBookingInput = z.infer<typeof CreateBookingInput>;

export const ListBookingsInput = z
  .object({
    status: z.enum(BOOKING_STATUSES).optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ limit: 50 });
export type ListBookingsInput = z.infer<typeof ListBookingsInput>;

export const UpdateBookingStatusInput = z.object({ id: Id, status: z.enum(BOOKING_STATUSES) });
export type UpdateBookingStatusInput = z.infer<typeof UpdateBookingStatusInput>;

/** Which status a booking may move to from each status. */
export const BOOKING_TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["completed", "cancelled", "no_show"],
  completed: [],
  cancelled: [],
  no_show: [],
};

/** A booking as the business (and the customer who made it) sees it. */
export const BookingView = z.object({
  id: z.number(),
  businessId: z.number(),
  serviceId: z.number(),
  customerUserId: z.number(),
  staffUserId: z.number().nullable(),
  startsAt: z.date(),
  endsAt: z.date(),
  status: z.enum(BOOKING_STATUSES),
  priceCents: z.number(),
  currency: OutText,
  notes: OutText.nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type BookingView = z.infer<typeof BookingView>;

/** A customer's own booking in its list across businesses (the business is null once it is no longer open). */
export const CustomerBookingView = BookingView.pick({
  id: true,
  businessId: true,
  serviceId: true,
  staffUserId: true,
  startsAt: true,
  endsAt: true,
  status: true,
  priceCents: true,
  currency: true,
}).extend({ businessName: OutText.nullable(), tenantKey: OutText.nullable() });
export type CustomerBookingView = z.infer<typeof CustomerBookingView>;
