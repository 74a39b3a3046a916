/**
 * What a new business starts with, so its owner opens a working shop rather
 * than an empty one. Everything here is an ordinary row the owner may rename
 * or delete afterwards.
 */
import type { ProvisionInput } from "./schemas.ts";

type Industry = ProvisionInput["industryType"];

export const DEFAULT_CATEGORIES: Record<Industry, readonly string[]> = {
  salon: ["Hair", "Skin", "Nails", "Makeup", "Spa & massage"],
  restaurant: ["Starters", "Main course", "Breads", "Desserts", "Beverages"],
  grocery: ["Staples", "Spices & masalas", "Snacks", "Beverages", "Fresh produce", "Household"],
  retail: ["Clothing", "Accessories", "Home & living", "Gifts"],
  services: ["Consultations", "Repairs", "Packages"],
  other: ["General"],
};

export const REGIONAL_DEFAULTS: Record<ProvisionInput["dataResidency"], { timezone: string; currency: string; locale: string }> = {
  in: { timezone: "Asia/Kolkata", currency: "INR", locale: "en-IN" },
  eu: { timezone: "Europe/Berlin", currency: "EUR", locale: "en-GB" },
  us: { timezone: "America/New_York", currency: "USD", locale: "en-US" },
  uk: { timezone: "Europe/London", currency: "GBP", locale: "en-GB" },
  ae: { timezone: "Asia/Dubai", currency: "AED", locale: "en-AE" },
  sg: { timezone: "Asia/Singapore", currency: "SGD", locale: "en-SG" },
};

/** Transactional e-mails; `{{placeholders}}` are filled when a mail is sent. */
export const DEFAULT_EMAIL_TEMPLATES = [
  {
    key: "welcome",
    subject: "Welcome to {{business_name}}",
    body: "Hello {{customer_name}},\n\nThank you for choosing {{business_name}}. We look forward to serving you.",
  },
  {
    key: "booking_confirmed",
    subject: "Your booking at {{business_name}} is confirmed",
    body: "Hello {{customer_name}},\n\nYour booking for {{service_name}} on {{starts_at}} is confirmed.",
  },
  {
    key: "booking_cancelled",
    subject: "Your booking at {{business_name}} was cancelled",
    body: "Hello {{customer_name}},\n\nYour booking for {{service_name}} on {{starts_at}} was cancelled.",
  },
  {
    key: "booking_reminder",
    subject: "Reminder: {{service_name}} at {{business_name}}",
    body: "Hello {{customer_name}},\n\nA reminder of your booking for {{service_name}} on {{starts_at}}.",
  },
  {
    key: "order_received",
    subject: "We received your order {{order_number}}",
    body: "Hello {{customer_name}},\n\n{{business_name}} received your order {{order_number}} for {{order_total}}.",
  },
  {
    key: "order_fulfilled",
    subject: "Your order {{order_number}} is on its way",
    body: "Hello {{customer_name}},\n\nYour order {{order_number}} from {{business_name}} has been fulfilled.",
  },
] as const;
