import { bigint, foreignKey, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { businessId } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** Metered usage per business, metric and period (e.g. bookings this month). */
export const usageCounters = pgTable(
  "usage_counters",
  {
    businessId: businessId(),
    metric: text("metric").notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    value: bigint("value", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.metric, t.periodStart] }),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
