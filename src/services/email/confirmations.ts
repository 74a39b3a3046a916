/**
 * The confirmation e-mails a customer gets after booking or ordering, rendered
 * from the business's own templates (email_templates, seeded at provisioning;
 * the defaults stand in for one the business deleted) and sent in the business's
 * name. Everything is read in the business's tenant scope.
 */
import { and, eq } from "drizzle-orm";
import { bookings, businessSettings, businessTenants, customers, emailTemplates, orders, services } from "../../db/schema/index.ts";
import type { MailMessage } from "../../lib/mailer.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { DEFAULT_EMAIL_TEMPLATES } from "../tenants/defaults.ts";
import { formatDateTime, formatMoney, renderTemplate } from "./render.ts";

type TemplateKey = (typeof DEFAULT_EMAIL_TEMPLATES)[number]["key"];

interface Business {
  name: string;
  locale: string;
  timezone: string;
}

async function business(scope: TenantScope): Promise<Business | undefined> {
  const [row] = await scope.db
    .select({ name: businessTenants.name, locale: businessSettings.locale, timezone: businessSettings.timezone })
    .from(businessTenants)
    .leftJoin(businessSettings, eq(businessSettings.businessId, businessTenants.id))
    .where(eq(businessTenants.id, scope.businessId));
  return row ? { name: row.name, locale: row.locale ?? "en-IN", timezone: row.timezone ?? "Asia/Kolkata" } : undefined;
}

async function template(scope: TenantScope, key: TemplateKey): Promise<{ subject: string; body: string }> {
  const [row] = await scope.db
    .select({ subject: emailTemplates.subject, body: emailTemplates.body })
    .from(emailTemplates)
    .where(and(eq(emailTemplates.businessId, scope.businessId), eq(emailTemplates.key, key)));
  return row ?? DEFAULT_EMAIL_TEMPLATES.find((t) => t.key === key)!;
}

function compose(from: string, biz: Business, to: { name: string; email: string }, tpl: { subject: string; body: string }, values: Record<string, string>, messageId: string): MailMessage {
  const all = { business_name: biz.name, customer_name: to.name, ...values };
  return {
    from: { name: biz.name, address: from },
    to: { name: to.name, address: to.email },
    subject: renderTemplate(tpl.subject, all),
    text: renderTemplate(tpl.body, all),
    messageId,
  };
}

/** The booking's confirmation, or null when there is nothing to confirm (booking gone or cancelled). */
export async function bookingConfirmation(scope: TenantScope, bookingId: number, fromAddress: string): Promise<MailMessage | null> {
  const [row] = await scope.db
    .select({ startsAt: bookings.startsAt, status: bookings.status, service: services.name, name: customers.name, email: customers.email })
    .from(bookings)
    .innerJoin(services, and(eq(services.businessId, bookings.businessId), eq(services.id, bookings.serviceId)))
    .innerJoin(customers, and(eq(customers.businessId, bookings.businessId), eq(customers.userId, bookings.customerUserId)))
    .where(and(eq(bookings.businessId, scope.businessId), eq(bookings.id, bookingId)));
  const biz = await business(scope);
  if (!row || !biz || row.status === "cancelled") return null;
  const values = { service_name: row.service, starts_at: formatDateTime(row.startsAt, biz.locale, biz.timezone) };
  const domain = fromAddress.split("@")[1] ?? "desibazaar.local";
  return compose(fromAddress, biz, row, await template(scope, "booking_confirmed"), values, `<booking-${scope.businessId}-${bookingId}@${domain}>`);
}

/** The order's receipt, or null when the order is gone or cancelled. */
export async function orderConfirmation(scope: TenantScope, orderId: number, fromAddress: string): Promise<MailMessage | null> {
  const [row] = await scope.db
    .select({ total: orders.totalCents, currency: orders.currency, status: orders.status, name: customers.name, email: customers.email })
    .from(orders)
    .innerJoin(customers, and(eq(customers.businessId, orders.businessId), eq(customers.userId, orders.customerUserId)))
    .where(and(eq(orders.businessId, scope.businessId), eq(orders.id, orderId)));
  const biz = await business(scope);
  if (!row || !biz || row.status === "cancelled") return null;
  const values = { order_number: `#${orderId}`, order_total: formatMoney(row.total, row.currency, biz.locale) };
  const domain = fromAddress.split("@")[1] ?? "desibazaar.local";
  return compose(fromAddress, biz, row, await template(scope, "order_received"), values, `<order-${scope.businessId}-${orderId}@${domain}>`);
}
