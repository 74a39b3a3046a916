import { z } from "zod";
import { createCustomerBooking } from "../../services/bookings/customer-create.ts";
import { listCustomerBookings } from "../../services/bookings/customer-list.ts";
import { BookingView, CreateBookingInput, CustomerBookingView } from "../../services/bookings/schemas.ts";
import { createCustomerOrder } from "../../services/orders/customer-create.ts";
import { listCustomerOrders } from "../../services/orders/customer-list.ts";
import { CreateOrderInput, CustomerOrderView, PlacedOrder } from "../../services/orders/schemas.ts";
import { router } from "../init.ts";
import { customerProcedure } from "../procedures.ts";

/** The customer mode: a signed-in user books and orders with any active business and sees only its own. */
export const customerRouter = router({
  bookings: router({
    create: customerProcedure
      .input(CreateBookingInput)
      .output(BookingView)
      .mutation(({ ctx, input }) => createCustomerBooking(ctx.scope, input)),
    list: customerProcedure.output(z.array(CustomerBookingView)).query(({ ctx }) => listCustomerBookings(ctx.scope)),
  }),
  orders: router({
    create: customerProcedure.input(CreateOrderInput).output(PlacedOrder).mutation(({ ctx, input }) => createCustomerOrder(ctx.scope, input)),
    list: customerProcedure.output(z.array(CustomerOrderView)).query(({ ctx }) => listCustomerOrders(ctx.scope)),
  }),
});
