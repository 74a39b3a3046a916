/** Subscription rollover and trial expiry for every business: what `bun run tenant rollover` does, on a schedule. */
import { z } from "zod";
import { applyDueSubscriptionChanges } from "../../services/subscriptions/apply-due.ts";
import { definePlatformJob } from "../definition.ts";

export const platformRollover = definePlatformJob({
  type: "platform.rollover",
  data: z.object({}),
  schedule: "*/10 * * * *",
  policy: { retryLimit: 2, retryDelay: 60, expireInSeconds: 1800 },
  async run({ admin, log }) {
    let remaining = true;
    // 500 businesses per transaction; a business whose rollover fails is reported and left for the next run.
    for (let round = 0; remaining && round < 100; round++) {
      const result = await admin((scope) => applyDueSubscriptionChanges(scope, { limit: 500 }));
      remaining = result.remaining && result.processed > 0;
      if (result.processed || result.failed.length) log.info({ processed: result.processed, events: result.events, failed: result.failed.length }, "subscriptions rolled over");
    }
  },
});
