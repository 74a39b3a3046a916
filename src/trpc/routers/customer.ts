import { createCustomerBooking } from "../../services/bookings/customer-create.ts";
import { listCustomerBookings } from "../../services/bookings/customer-list.ts";
import { CreateBookingInput } from "../../services/bookings/schemas.ts";
import { createCustomerOrder } from "../../services/orders/customer-create.ts";
import { listCustomerOrders } from "../../services/orders/customer-list.ts";
import { CreateOrderInput } from "../../services/orders/schemas.ts";
import { router } from "../init.ts";
import { customerProcedure } from "../procedures.ts";

/** The customer mode: a signed-in user books and orders with any active business and sees only its own. */
export const customerRouter = router({
  bookings: router({
    create: customerProcedure.input(CreateBookingInput).mutation(({ ctx, input }) => createCustomerBooking(ctx.scope, input)),
    list: customerProcedure.query(({ ctx }) => listCustomerBookings(ctx.scope)),
  }),
  orders: router({
    create: customerProcedure.input(CreateOrderInput).mutation(({ ctx, input }) => createCustomerOrder(ctx.scope, input)),
    list: customerProcedure.query(({ ctx }) => listCustomerOrders(ctx.scope)),
  }),
});
