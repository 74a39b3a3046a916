/**
 * Fills a business's e-mail template: `{{name}}` placeholders become values.
 * Templates are the business's own text; values are data (a customer's name can
 * contain anything), so substitution is one pass over the template: a value
 * that looks like a placeholder is never expanded again.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}

export function formatDateTime(at: Date, locale: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(at);
  } catch {
    // A locale or zone the runtime does not know must not stop the e-mail.
    return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  }
}

export function formatMoney(cents: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
