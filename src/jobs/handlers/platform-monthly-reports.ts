/** On the 1st of each month: one report job per open business for the month that ended. */
import { z } from "zod";
import { inArray } from "drizzle-orm";
import { businessTenants } from "../../db/schema/index.ts";
import { previousPeriod } from "../../services/reports/monthly.ts";
import { definePlatformJob } from "../definition.ts";

export const platformMonthlyReports = definePlatformJob({
  type: "platform.monthly-reports",
  data: z.object({}),
  schedule: "0 2 1 * *",
  policy: { retryLimit: 2, retryDelay: 300, expireInSeconds: 1800 },
  async run({ admin, log }) {
    const period = previousPeriod(new Date());
    const businesses = await admin((scope) =>
      scope.db.select({ id: businessTenants.id }).from(businessTenants).where(inArray(businessTenants.status, ["active", "suspended"])),
    );
    // 500 per transaction; the period is the key, so a rerun of this job queues no second report.
    for (let i = 0; i < businesses.length; i += 500) {
      const batch = businesses.slice(i, i + 500);
      await admin((scope) => scope.jobs.send(batch.map((row) => row.id), "reports.monthly", { period }, { key: period }));
    }
    log.info({ period, businesses: businesses.length }, "monthly reports queued");
  },
});
