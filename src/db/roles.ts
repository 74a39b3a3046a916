/**
 * The login roles the application connects as, one set per database.
 *
 * Roles are cluster-wide in PostgreSQL, so a fixed name (`desibazaar_app`) would
 * be shared by every database on a server, and a password for one would open
 * all. Each database gets its own names, derived from the database name
 * (`desibazaar` → `desibazaar_app`, `shop_eu` → `shop_eu_app`), unless the
 * environment names the role in DATABASE_*_URL. Passwords are never derived:
 * they come from those URLs or are generated once and kept in the database
 * itself, in a schema only the owner reads (src/db/migrate.ts).
 *
 * The hand-written SQL in sql/ names the roles `desibazaar_app`, ... as
 * placeholders (`desibazaar_` and the kind); the migrator substitutes this
 * database's names.
 */
import { createHash } from "node:crypto";

export const ROLE_KINDS = ["app", "customer", "admin", "platform", "jobs"] as const;
export type DbRoleKind = (typeof ROLE_KINDS)[number];
export type RoleUrls = Record<DbRoleKind, string>;
export type RoleNames = Record<DbRoleKind, string>;
export type ExplicitRoleUrls = Partial<RoleUrls>;

/** The environment variable that gives a role's URL: DATABASE_APP_URL, DATABASE_JOBS_URL, ... */
export const roleUrlVariable = <K extends DbRoleKind>(kind: K) => `DATABASE_${kind.toUpperCase() as Uppercase<K>}_URL` as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Role names for `database`: readable when the name allows it, always unique to it. */
export function roleNamesFor(database: string): RoleNames {
  let base = database.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  // A changed or over-long name gets a hash, so `Shop-1` and `shop_1` stay apart.
  if (base !== database || base.length > 40 || !/^[a-z_]/.test(base)) {
    base = `db_${base.slice(0, 30)}_${createHash("sha256").update(database).digest("hex").slice(0, 8)}`;
  }
  return Object.fromEntries(ROLE_KINDS.map((kind) => [kind, `${base}_${kind}`])) as RoleNames;
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";
}

/** The login role a URL connects as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** The role names to use: those the explicit URLs name, else this database's own. */
export function resolveRoleNames(ownerUrl: string, explicit: ExplicitRoleUrls = {}): RoleNames {
  const derived = roleNamesFor(databaseOf(ownerUrl));
  const names = Object.fromEntries(ROLE_KINDS.map((kind) => [kind, explicit[kind] ? roleOf(explicit[kind]!) : derived[kind]])) as RoleNames;
  for (const kind of ROLE_KINDS) {
    if (!ROLE_NAME.test(names[kind])) throw new Error(`${roleUrlVariable(kind)}: the role name must be lower-case letters, digits and _`);
  }
  return names;
}

/** The URL of each role: the owner's server and database, the role's name and password. */
export function roleUrlsFor(ownerUrl: string, names: RoleNames, passwords: Record<DbRoleKind, string>): RoleUrls {
  return Object.fromEntries(
    ROLE_KINDS.map((kind) => {
      const url = new URL(ownerUrl);
      url.username = names[kind];
      url.password = passwords[kind];
      return [kind, url.toString()];
    }),
  ) as RoleUrls;
}

/** sql/ names the roles desibazaar_app, desibazaar_customer, ...: one placeholder per kind. */
const ROLE_PLACEHOLDER = new RegExp(`\\bdesibazaar_(${ROLE_KINDS.join("|")})\\b`, "g");

/** Rewrites sql/ text written with the placeholder names to this database's role names. */
export function withRoleNames(sqlText: string, names: RoleNames): string {
  return sqlText.replace(ROLE_PLACEHOLDER, (_, kind: DbRoleKind) => names[kind]);
}
