import { z } from "zod";
import { listOrders } from "../../services/orders/list.ts";
import { OrderView } from "../../services/orders/schemas.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/** The business's view of orders customers placed with it. */
export const ordersRouter = router({
  list: tenantProcedureWith("orders:read").output(z.array(OrderView)).query(({ ctx }) => listOrders(ctx.scope)),
});
