import { asc, eq } from "drizzle-orm";
import { businessAccess, users } from "../../db/schema/index.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";

import type { MemberView } from "./schemas.ts";

export function listMembers(scope: TenantScope): Promise<MemberView[]> {
  return scope.db
    .select({ userId: businessAccess.userId, email: users.email, name: users.name, role: businessAccess.role, permissions: businessAccess.permissions, since: businessAccess.createdAt })
    .from(businessAccess)
    .innerJoin(users, eq(users.id, businessAccess.userId))
    .where(eq(businessAccess.businessId, scope.businessId))
    .orderBy(asc(businessAccess.createdAt));
}
