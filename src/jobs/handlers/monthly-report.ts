/** One business's monthly bookings-and-orders CSV: kept in monthly_reports and e-mailed to its owner. */
import { z } from "zod";
import { Text } from "../../lib/schemas.ts";
import { PERIOD, buildMonthlyReport, monthlyReportMail, storeMonthlyReport } from "../../services/reports/monthly.ts";
import { defineTenantJob } from "../definition.ts";

export const monthlyReport = defineTenantJob({
  type: "reports.monthly",
  data: z.object({ period: Text(7).regex(PERIOD, "a month as YYYY-MM") }),
  policy: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 },
  async run({ scope, data, log, runtime }) {
    const report = await buildMonthlyReport(scope, data.period);
    // The report row is the dedupe key: stored and mailed in one transaction, so a repeat finds it and stops.
    if (!(await storeMonthlyReport(scope, data.period, report))) {
      log.info({ period: data.period }, "monthly report already delivered");
      return;
    }
    const mail = await monthlyReportMail(scope, data.period, report.csv, runtime.mailFrom);
    if (mail) await runtime.mailer.send(mail);
    log.info({ period: data.period, bookings: report.bookings, orders: report.orders, mailed: !!mail }, "monthly report delivered");
  },
});
