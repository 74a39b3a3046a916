import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

/** A business's bookings-and-orders CSV for one calendar month (UTC), kept and e-mailed to its owner. */
export const monthlyReports = pgTable(
  "monthly_reports",
  {
    ...tenantColumns(),
    /** YYYY-MM */
    period: text("period").notNull(),
    csv: text("csv").notNull(),
    bookings: integer("bookings").notNull(),
    orders: integer("orders").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
    uniqueIndex("monthly_reports_business_period").on(t.businessId, t.period),
  ],
);
