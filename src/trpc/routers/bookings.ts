import { z } from "zod";
import { listBookings } from "../../services/bookings/list.ts";
import { BookingView, ListBookingsInput, UpdateBookingStatusInput } from "../../services/bookings/schemas.ts";
import { updateBookingStatus } from "../../services/bookings/update-status.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/** The business's view of bookings customers made with it. */
export const bookingsRouter = router({
  list: tenantProcedureWith("bookings:read")
    .input(ListBookingsInput)
    .output(z.array(BookingView))
    .query(({ ctx, input }) => listBookings(ctx.scope, input)),
  updateStatus: tenantProcedureWith("bookings:write")
    .input(UpdateBookingStatusInput)
    .output(BookingView)
    .mutation(({ ctx, input }) => updateBookingStatus(ctx.scope, input)),
});
