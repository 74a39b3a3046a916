import { sql } from "drizzle-orm";
import { check, pgTable, smallint, time } from "drizzle-orm/pg-core";
import { id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

/** Weekly working hours of a staff member (weekday 0 = Sunday), in the business's timezone. */
export const staffAvailability = pgTable(
  "staff_availability",
  {
    ...tenantColumns(),
    staffUserId: id("staff_user_id").notNull(),
    weekday: smallint("weekday").notNull(),
    startsAt: time("starts_at").notNull(),
    endsAt: time("ends_at").notNull(),
  },
  (t) => [
    ...tenantKeys(t),
    check("staff_availability_weekday", sql`${t.weekday} between 0 and 6`),
    check("staff_availability_order", sql`${t.startsAt} < ${t.endsAt}`),
  ],
);
