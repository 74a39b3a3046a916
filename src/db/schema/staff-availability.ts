import { sql } from "drizzle-orm";
import { check, foreignKey, pgTable, primaryKey, smallint, time } from "drizzle-orm/pg-core";
import { businessId, id } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** Weekly working hours of a staff member (weekday 0 = Sunday), in the business's timezone. */
export const staffAvailability = pgTable(
  "staff_availability",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    staffUserId: id("staff_user_id").notNull(),
    weekday: smallint("weekday").notNull(),
    startsAt: time("starts_at").notNull(),
    endsAt: time("ends_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
    check("staff_availability_weekday", sql`${t.weekday} between 0 and 6`),
    check("staff_availability_order", sql`${t.startsAt} < ${t.endsAt}`),
  ],
);
