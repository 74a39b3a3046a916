import { invoices } from "../../db/schema/index.ts";
import type { ScopedDb } from "../../tenancy/transaction.ts";

export interface InvoiceLine {
  description: string;
  amountCents: number;
}

export type Invoice = typeof invoices.$inferSelect;

/** A platform charge to the business (subscription period or proration); the number is unique within the business. */
export async function issueInvoice(
  db: ScopedDb,
  businessId: number,
  invoice: { kind: "subscription" | "proration"; currency: string; lines: InvoiceLine[]; issuedAt: Date },
): Promise<Invoice> {
  const day = invoice.issuedAt.toISOString().slice(0, 10).replaceAll("-", "");
  const number = `${invoice.kind === "proration" ? "PRO" : "SUB"}-${day}-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  const [row] = await db
    .insert(invoices)
    .values({
      businessId,
      number,
      kind: invoice.kind,
      amountCents: invoice.lines.reduce((sum, l) => sum + l.amountCents, 0),
      currency: invoice.currency,
      lines: invoice.lines,
      issuedAt: invoice.issuedAt,
    })
    .returning();
  return row!;
}
