/** Slugs name a tenant's subdomain `{slug}.{BASE_DOMAIN}`; never reserved, never uuid-shaped (that would read as a tenantKey). */
import { isUuid, RESERVED_SLUGS } from "../../tenancy/tenant-ref.ts";

export { RESERVED_SLUGS };

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

/** Candidates in order: the plain slug (unless reserved), then with random suffixes. */
export function* slugCandidates(name: string, attempts = 8): Generator<string> {
  const base = slugify(name);
  if (!RESERVED_SLUGS.has(base) && !isUuid(base)) yield base;
  for (let i = 0; i < attempts; i++) yield `${base}-${Math.random().toString(36).slice(2, 7)}`;
}
