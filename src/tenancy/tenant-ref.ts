/**
 * How a request names its business: a tenantKey (uuid) or a slug, sent as the
 * `x-tenant-id` header or as the `{slug}.{BASE_DOMAIN}` host. The shapes, the
 * reserved words and the parsing live here and nowhere else (sql/002's
 * app.tenant_id_for_key reads a uuid-shaped ref as a tenantKey, so slugs never
 * take that shape).
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Subdomains that are ours, never a business's: api.{BASE_DOMAIN}, www.{BASE_DOMAIN}, ... */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "www", "api", "app", "admin", "auth", "login", "signup", "register", "account", "billing", "blog", "cdn",
  "dashboard", "docs", "files", "help", "mail", "smtp", "static", "assets", "status", "support", "search",
  "trpc", "health", "webhooks", "root", "system", "platform", "desibazaar", "demo-admin", "test",
]);

export const isUuid = (value: string) => UUID_PATTERN.test(value);

/** A tenantKey or a slug, or null when `value` is neither. */
export function parseTenantRef(value: string): string | null {
  const ref = value.trim();
  if (isUuid(ref)) return ref.toLowerCase();
  return SLUG_PATTERN.test(ref) ? ref : null;
}

/** What the request named (not yet checked for shape): `x-tenant-id`, else the `{slug}.{BASE_DOMAIN}` host. */
export function tenantRefFromRequest(headers: Headers, host: string | null, baseDomain: string): string | null {
  const header = headers.get("x-tenant-id")?.trim();
  if (header) return header;
  const name = host?.toLowerCase().replace(/:\d+$/, "");
  const suffix = `.${baseDomain.toLowerCase().replace(/:\d+$/, "")}`;
  if (name?.endsWith(suffix)) {
    const slug = name.slice(0, -suffix.length);
    if (slug && !slug.includes(".") && !RESERVED_SLUGS.has(slug)) return slug;
  }
  return null;
}
