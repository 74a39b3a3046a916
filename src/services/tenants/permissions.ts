/**
 * Permissions are strings `<area>:<verb>`. Owners hold every permission; other
 * members hold the ones stored on their membership (copied from the business's
 * role of the same name when they join). The check runs in the database, in a
 * tenant request's first statement (app.tenant_request_access, sql/010).
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
