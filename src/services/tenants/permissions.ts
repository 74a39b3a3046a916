/**
 * Permissions are strings `<area>:<verb>`. Owners hold every permission; other
 * members hold the ones stored on their membership (copied from the business's
 * role of the same name when they join).
 */
export const OWNER_PERMISSIONS = ["*"] as const;

export const DEFAULT_ROLES = [
  {
    name: "manager",
    permissions: ["catalog:read", "catalog:write", "catalog:delete", "bookings:read", "bookings:write", "orders:read", "orders:write", "members:read", "members:write", "files:read", "files:write"],
  },
  { name: "staff", permissions: ["catalog:read", "bookings:read", "bookings:write", "orders:read", "files:read"] },
  { name: "customer", permissions: [] },
] as const;

export function hasPermission(access: { role: string; permissions: readonly string[] }, permission: string): boolean {
  if (access.role === "owner" || access.permissions.includes("*")) return true;
  return access.permissions.includes(permission);
}
