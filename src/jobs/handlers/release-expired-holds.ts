/** Cancels one business's unpaid orders past the hold time and returns their stock. */
import { z } from "zod";
import { releaseExpiredHolds } from "../../services/orders/release-expired-holds.ts";
import { defineTenantJob } from "../definition.ts";

export const releaseExpiredHoldsJob = defineTenantJob({
  type: "orders.release-expired-holds",
  data: z.object({}),
  policy: { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
  async run({ scope, job, log, runtime }) {
    const result = await releaseExpiredHolds(scope, { holdMinutes: runtime.orderHoldMinutes, jobId: job.id });
    if (result.released.length) log.info({ orders: result.released, remaining: result.remaining }, "released stock of unpaid orders past their hold");
    // More than one run's worth: the next sweep (every minute) takes the rest.
  },
});
