import { z } from "zod";
import { Id, Text } from "../catalog/schemas.ts";
import { TenantRef } from "../tenants/schemas.ts";

export const BOOKING_STATUSES = ["pending", "confirmed", "completed", "cancelled", "no_show"] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * A point in time PostgreSQL's timestamptz can hold with room to spare. JS dates
 * reach ±273,790 years, timestamptz only 4713 BC to 294276 AD: an unbounded date
 * fails in the database (22008) and would surface as a 500.
 */
export const LATEST_INSTANT = new Date("9999-12-31T23:59:59Z");
export const Instant = z.coerce
  .date()
  .min(new Date("1970-01-01T00:00:00Z"), "must be in 1970 or later")
  .max(LATEST_INSTANT, "must be before the year 10000");

export const CreateBookingInput = z.object({
  tenantKey: TenantRef,
  serviceId: Id,
  startsAt: Instant,
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
