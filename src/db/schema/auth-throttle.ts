import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Failed-login counters, one row per `email:<address>` or `ip:<address>` key. */
export const authThrottle = pgTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});
