import { eq, sql } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { rows } from "../../tenancy/rows.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";

import type { Me } from "./schemas.ts";

/** The caller and the businesses it belongs to. */
export async function me(scope: PlatformScope, userId: number): Promise<Me> {
  const [user] = await scope.db
    .select({ id: users.id, email: users.email, name: users.name, isSuperAdmin: users.isSuperAdmin })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new NotFoundError("User not found");
  const memberships = await rows<Me["memberships"][number]>(
    scope.db,
    sql`select tenant_key as "tenantKey", slug, name, role, status from app.memberships_of(${userId}) order by slug`,
  );
  return { userId: user.id, email: user.email, name: user.name, isSuperAdmin: user.isSuperAdmin, memberships };
}
