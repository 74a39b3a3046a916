import { integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";
import { invoiceStatus } from "./enums.ts";

/** Invoices a business issues (for orders) or receives (subscription charges, prorations). */
export const invoices = pgTable(
  "invoices",
  {
    ...tenantColumns(),
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
    ...tenantKeys(t),
    uniqueIndex("invoices_business_number_key").on(t.businessId, t.number),
  ],
);
