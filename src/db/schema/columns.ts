/** Column helpers shared by the table files. */
import { bigint, timestamp } from "drizzle-orm/pg-core";

/** Every id is a bigint surfaced as a JS number (safe up to 2^53, far beyond our row counts). */
export const id = (name = "id") => bigint(name, { mode: "number" });

/** The tenant column; first in every tenant table's primary key so it leads the index. */
export const businessId = () => bigint("business_id", { mode: "number" }).notNull();

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
