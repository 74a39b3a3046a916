import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { tenantStatus } from "./enums.ts";

/**
 * The tenants. `id` is the business_id every tenant table carries; `tenant_key`
 * (a random uuid) is what clients send, so ids are never guessable from outside.
 */
export const businessTenants = pgTable(
  "business_tenants",
  {
    id: id().primaryKey().generatedByDefaultAsIdentity(),
    tenantKey: uuid("tenant_key").notNull().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    industryType: text("industry_type").notNull(),
    status: tenantStatus("status").notNull().default("pending"),
    tenantTier: text("tenant_tier").notNull().default("standard"),
    dataResidency: text("data_residency").notNull().default("in"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** Who provisioned it, and the idempotency key they sent (a retry returns this tenant). */
    createdByUserId: id("created_by_user_id"),
    provisionKey: text("provision_key"),
  },
  (t) => [
    uniqueIndex("business_tenants_tenant_key_key").on(t.tenantKey),
    uniqueIndex("business_tenants_slug_key").on(t.slug),
    uniqueIndex("business_tenants_provision_key").on(t.createdByUserId, t.provisionKey),
  ],
);
