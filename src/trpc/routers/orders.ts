import { listOrders } from "../../services/orders/list.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/** The business's view of orders customers placed with it. */
export const ordersRouter = router({
  list: tenantProcedureWith("orders:read").query(({ ctx }) => listOrders(ctx.scope)),
});
