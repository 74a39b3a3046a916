import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

/**
 * One row per effect a background job had (an e-mail sent, stock released, a
 * report delivered), written in the same transaction as the effect. The unique
 * key is what makes a job that runs twice (a worker died before marking it
 * done) have its effect once.
 */
export const jobEffects = pgTable(
  "job_effects",
  {
    ...tenantColumns(),
    effectKey: text("effect_key").notNull(),
    jobId: text("job_id"),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
    uniqueIndex("job_effects_business_key").on(t.businessId, t.effectKey),
  ],
);
