/** Slugs name a tenant's subdomain `{slug}.{BASE_DOMAIN}`. */

export const RESERVED_SLUGS = new Set([
  "www", "api", "app", "admin", "auth", "login", "signup", "register", "account", "billing", "blog", "cdn",
  "dashboard", "docs", "files", "help", "mail", "smtp", "static", "assets", "status", "support", "search",
  "trpc", "health", "webhooks", "root", "system", "platform", "desibazaar", "demo-admin", "test",
]);

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return base.length >= 2 ? base : `business-${base || "new"}`.replace(/-$/, "");
}

/** A slug shaped like a uuid would be read as a tenantKey by app.tenant_id_for_key. */
const UUID_SHAPED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Candidates in order: the plain slug (unless reserved), then with random suffixes. */
export function* slugCandidates(name: string, attempts = 8): Generator<string> {
  const base = slugify(name);
  if (!RESERVED_SLUGS.has(base) && !UUID_SHAPED.test(base)) yield base;
  for (let i = 0; i < attempts; i++) yield `${base}-${Math.random().toString(36).slice(2, 7)}`;
}
