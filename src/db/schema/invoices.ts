import { foreignKey, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { businessId, createdAt, id } from "./columns.ts";
import { invoiceStatus } from "./enums.ts";
import { businessTenants } from "./business-tenants.ts";

/** Invoices a business issues (for orders) or receives (subscription charges, prorations). */
export const invoices = pgTable(
  "invoices",
  {
    businessId: businessId(),
    id: id().notNull().generatedByDefaultAsIdentity(),
    number: text("number").notNull(),
    kind: text("kind").notNull(),
    orderId: id("order_id"),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    status: invoiceStatus("status").notNull().default("issued"),
    lines: jsonb("lines").notNull().default([]),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    uniqueIndex("invoices_business_number_key").on(t.businessId, t.number),
    foreignKey({ columns: [t.businessId], foreignColumns: [businessTenants.id] }).onDelete("cascade"),
  ],
);
