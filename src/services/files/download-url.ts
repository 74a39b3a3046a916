import type { TenantScope } from "../../tenancy/scopes.ts";
import type { TenantAccess } from "../../tenancy/tenant-request.ts";
import { assertMayHandle, findFile } from "./find.ts";
import type { DownloadUrlInput } from "./schemas.ts";

/**
 * A link anyone holding it may use until it expires (for <img src>, a browser tab,
 * the mobile app): GET /files/{id}?t={tenantKey}&exp={unix seconds}&sig={HMAC}.
 * The signature binds business, file and expiry; `t` only says which business to
 * look in. The URL is root-relative: the client prefixes the API origin it called,
 * so no Host header ever ends up inside a link.
 */
export async function downloadUrl(scope: TenantScope, tenant: TenantAccess, input: DownloadUrlInput, now = new Date()): Promise<{ url: string; expiresAt: Date }> {
  const row = await findFile(scope, input.id);
  assertMayHandle(tenant, row.category);
  const exp = Math.floor(now.getTime() / 1000) + input.expiresInSeconds;
  const query = new URLSearchParams({ t: tenant.tenantKey, exp: String(exp), sig: scope.files.signDownload(row.id, exp) });
  return { url: `/files/${row.id}?${query}`, expiresAt: new Date(exp * 1000) };
}
