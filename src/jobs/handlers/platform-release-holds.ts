/** Every minute: hands each business with unpaid orders past the hold time a job that releases their stock. */
import { z } from "zod";
import { and, eq, lt } from "drizzle-orm";
import { orders } from "../../db/schema/index.ts";
import { definePlatformJob } from "../definition.ts";

export const platformReleaseHolds = definePlatformJob({
  type: "platform.release-expired-holds",
  data: z.object({}),
  schedule: "* * * * *",
  policy: { retryLimit: 1, retryDelay: 30, expireInSeconds: 120 },
  async run({ admin, runtime, log }) {
    const cutoff = new Date(Date.now() - runtime.orderHoldMinutes * 60_000);
    // The minute is the key: a second sweep in the same minute queues nothing new.
    const minute = new Date().toISOString().slice(0, 16);
    const queued = await admin(async (scope) => {
      const due = await scope.db
        .selectDistinct({ businessId: orders.businessId })
        .from(orders)
        .where(and(eq(orders.status, "pending"), lt(orders.createdAt, cutoff)))
        .limit(5000);
      await scope.jobs.send(due.map((row) => row.businessId), "orders.release-expired-holds", {}, { key: minute });
      return due.length;
    });
    if (queued) log.info({ businesses: queued }, "queued stock release for businesses with expired holds");
  },
});
