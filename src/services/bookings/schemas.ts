import { z } from "zod";
import { Id } from "../catalog/schemas.ts";
import { TenantRef } from "../tenants/schemas.ts";

export const BOOKING_STATUSES = ["pending", "confirmed", "completed", "cancelled", "no_show"] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const CreateBookingInput = z.object({
  tenantKey: TenantRef,
  serviceId: Id,
  startsAt: z.coerce.date(),
  staffUserId: Id.optional(),
  notes: z.string().trim().max(1000).optional(),
});
export type CreateBookingInput = z.infer<typeof CreateBookingInput>;

export const ListBookingsInput = z
  .object({
    status: z.enum(BOOKING_STATUSES).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
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
