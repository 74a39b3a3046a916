/**
 * How a request names its business: a tenantKey (uuid) or a slug, sent as the
 * `x-tenant-id` header or as the `{slug}.{BASE_DOMAIN}` host. The shapes, the
 * reserved words, the parsing and the input schema live here and nowhere else
 * (sql/002's app.tenant_id_for_key reads a uuid-shaped ref as a tenantKey, so
 * slugs never take that shape).
 */
import { z } from "zod";
import { Matching } from "../lib/schemas.ts";

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

/** What clients send to pick a business in an input: its tenantKey (uuid) or its slug. */
export const TenantRef = z.union([z.uuid(), Matching(SLUG_PATTERN)]);

/**
 * An input naming a business as `tenantRef` (tenantKey or slug). `tenantKey` is
 * accepted as the same field under the name the API contract gives it; exactly
 * one of the two must be sent, and services read `tenantRef`.
 */
export function withTenantRef<S extends z.ZodRawShape>(shape: S) {
  type Named = { tenantRef?: string; tenantKey?: string };
  return z
    .object({ tenantRef: TenantRef.optional(), tenantKey: TenantRef.optional(), ...shape })
    .refine((v) => ((v as Named).tenantRef === undefined) !== ((v as Named).tenantKey === undefined), {
      message: "name the business: send tenantRef (its tenantKey or slug), or tenantKey",
      path: ["tenantRef"],
    })
    .transform((v) => {
      const { tenantRef, tenantKey, ...rest } = v as typeof v & Named;
      return { ...rest, tenantRef: (tenantRef ?? tenantKey)! };
    });
}
