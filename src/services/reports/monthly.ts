/**
 * A business's bookings and orders of one calendar month (UTC) as CSV, kept in
 * monthly_reports (one per month: the unique period is the report's dedupe key)
 * and e-mailed to the owner as an attachment.
 */
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { bookings, businessAccess, businessTenants, customers, monthlyReports, orders, services, users } from "../../db/schema/index.ts";
import type { MailMessage } from "../../lib/mailer.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month before `now`'s, as YYYY-MM. */
export function previousPeriod(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

const bounds = (period: string) => {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 1)), to: new Date(Date.UTC(y, m, 1)) };
};

/** Quotes a CSV field; a leading = + - @ is defused so a spreadsheet never runs a customer's name as a formula. */
export function csvField(value: unknown): string {
  let text = value instanceof Date ? value.toISOString() : value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const HEADER = ["kind", "id", "created_at", "status", "customer_name", "customer_email", "item", "starts_at", "amount_cents", "currency"];

export async function buildMonthlyReport(scope: TenantScope, period: string) {
  const { from, to } = bounds(period);
  const customer = (businessId: AnyPgColumn, userId: AnyPgColumn) => and(eq(customers.businessId, businessId), eq(customers.userId, userId));
  const bookingRows = await scope.db
    .select({ id: bookings.id, createdAt: bookings.createdAt, status: bookings.status, name: customers.name, email: customers.email, item: services.name, startsAt: bookings.startsAt, amount: bookings.priceCents, currency: bookings.currency })
    .from(bookings)
    .leftJoin(customers, customer(bookings.businessId, bookings.customerUserId))
    .leftJoin(services, and(eq(services.businessId, bookings.businessId), eq(services.id, bookings.serviceId)))
    .where(and(eq(bookings.businessId, scope.businessId), gte(bookings.createdAt, from), lt(bookings.createdAt, to)))
    .orderBy(asc(bookings.createdAt), asc(bookings.id));
  const orderRows = await scope.db
    .select({ id: orders.id, createdAt: orders.createdAt, status: orders.status, name: customers.name, email: customers.email, amount: orders.totalCents, currency: orders.currency })
    .from(orders)
    .leftJoin(customers, customer(orders.businessId, orders.customerUserId))
    .where(and(eq(orders.businessId, scope.businessId), gte(orders.createdAt, from), lt(orders.createdAt, to)))
    .orderBy(asc(orders.createdAt), asc(orders.id));
  const lines = [
    HEADER,
    ...bookingRows.map((b) => ["booking", b.id, b.createdAt, b.status, b.name, b.email, b.item, b.startsAt, b.amount, b.currency]),
    ...orderRows.map((o) => ["order", o.id, o.createdAt, o.status, o.name, o.email, "", "", o.amount, o.currency]),
  ];
  return { csv: lines.map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n", bookings: bookingRows.length, orders: orderRows.length };
}

/** Keeps the report; false when this month's report already exists (a repeated run). */
export async function storeMonthlyReport(scope: TenantScope, period: string, report: { csv: string; bookings: number; orders: number }): Promise<boolean> {
  const rows = await scope.db
    .insert(monthlyReports)
    .values({ businessId: scope.businessId, period, ...report })
    .onConflictDoNothing({ target: [monthlyReports.businessId, monthlyReports.period] })
    .returning({ id: monthlyReports.id });
  return rows.length === 1;
}

/** The report e-mail to the business's owner, or null when it has no owner with an address. */
export async function monthlyReportMail(scope: TenantScope, period: string, csv: string, fromAddress: string): Promise<MailMessage | null> {
  const [owner] = await scope.db
    .select({ name: users.name, email: users.email, business: businessTenants.name })
    .from(businessAccess)
    .innerJoin(users, eq(users.id, businessAccess.userId))
    .innerJoin(businessTenants, eq(businessTenants.id, businessAccess.businessId))
    .where(and(eq(businessAccess.businessId, scope.businessId), eq(businessAccess.role, "owner")))
    .orderBy(asc(businessAccess.createdAt))
    .limit(1);
  if (!owner) return null;
  const domain = fromAddress.split("@")[1] ?? "desibazaar.local";
  return {
    from: { name: owner.business, address: fromAddress },
    to: { name: owner.name, address: owner.email },
    subject: `${owner.business}: bookings and orders for ${period}`,
    text: `Hello ${owner.name},\n\nAttached are ${owner.business}'s bookings and orders for ${period} (UTC), as CSV.`,
    messageId: `<report-${scope.businessId}-${period}@${domain}>`,
    attachments: [{ filename: `${period}-bookings-and-orders.csv`, content: csv, contentType: "text/csv" }],
  };
}

