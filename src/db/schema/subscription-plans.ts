import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core";

/** The plan catalogue (platform-wide). A null limit means unlimited. */
export const subscriptionPlans = pgTable("subscription_plans", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  monthlyPriceCents: integer("monthly_price_cents").notNull(),
  yearlyPriceCents: integer("yearly_price_cents").notNull(),
  currency: text("currency").notNull().default("USD"),
  trialDays: integer("trial_days").notNull().default(180),
  maxProducts: integer("max_products"),
  maxStaffSeats: integer("max_staff_seats"),
  maxBookingsPerMonth: integer("max_bookings_per_month"),
  storageBytes: bigint("storage_bytes", { mode: "number" }),
  requestsPerMinute: integer("requests_per_minute"),
});
