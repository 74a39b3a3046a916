/**
 * What every row-per-entity tenant table shares: `business_id` + `id` columns, a
 * primary key led by business_id (so the schema could be distributed on it), and
 * business_id → business_tenants ON DELETE CASCADE (so a purge removes every row).
 */
import { foreignKey, primaryKey, type PgColumn } from "drizzle-orm/pg-core";
import { businessId, id } from "./columns.ts";
import { businessTenants } from "./business-tenants.ts";

export const tenantColumns = () => ({
  businessId: businessId(),
  id: id().notNull().generatedByDefaultAsIdentity(),
});

export const tenantKeys = (t: { businessId: PgColumn; id: PgColumn }) => [
  primaryKey({ columns: [t.businessId, t.id] }),
  foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
];
