/**
 * The login roles (created by sql/001_roles.sql) and the URL each pool uses.
 * When DATABASE_*_URL is not given, it is derived from the owner URL: same
 * server and database, the role's name, and a password derived from the owner's
 * password (so every process that knows the owner URL agrees on it).
 */
import { createHmac } from "node:crypto";

export const DB_ROLES = {
  app: "desibazaar_app",
  customer: "desibazaar_customer",
  admin: "desibazaar_admin",
  platform: "desibazaar_platform",
} as const;

export type DbRoleKind = keyof typeof DB_ROLES;
export type RoleUrls = Record<DbRoleKind, string>;

export interface ExplicitRoleUrls {
  app?: string;
  customer?: string;
  admin?: string;
  platform?: string;
}

export function deriveRolePassword(ownerUrl: string, role: string): string {
  const ownerPassword = decodeURIComponent(new URL(ownerUrl).password) || "desibazaar-local";
  return createHmac("sha256", ownerPassword).update(`role:${role}`).digest("hex").slice(0, 40);
}

export function roleUrls(ownerUrl: string, explicit: ExplicitRoleUrls = {}): RoleUrls {
  const derive = (kind: DbRoleKind) => {
    const url = new URL(ownerUrl);
    url.username = DB_ROLES[kind];
    url.password = deriveRolePassword(ownerUrl, DB_ROLES[kind]);
    return url.toString();
  };
  return {
    app: explicit.app ?? derive("app"),
    customer: explicit.customer ?? derive("customer"),
    admin: explicit.admin ?? derive("admin"),
    platform: explicit.platform ?? derive("platform"),
  };
}
