import { boolean, index, pgTable, text } from "drizzle-orm/pg-core";
import { businessId, updatedAt } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

/** The public listing of a business; only `published` rows are visible to the public. */
export const businessDirectory = pgTable(
  "business_directory",
  {
    businessId: businessId()
      .primaryKey()
      .references(() => businessTenants.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    description: text("description"),
    city: text("city"),
    industryType: text("industry_type").notNull(),
    published: boolean("published").notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [index("business_directory_published_idx").on(t.published)],
);
