import { and, eq } from "drizzle-orm";
import { businessAccess } from "../../db/schema/index.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";

export async function removeMember(scope: TenantScope, userId: number): Promise<{ userId: number; removed: true }> {
  const [member] = await scope.db
    .select({ role: businessAccess.role })
    .from(businessAccess)
    .where(and(eq(businessAccess.businessId, scope.businessId), eq(businessAccess.userId, userId)));
  if (!member) throw new NotFoundError(`Member ${userId} not found`);
  if (member.role === "owner") throw new ValidationError("The owner cannot be removed; transfer ownership first");
  await scope.db.delete(businessAccess).where(and(eq(businessAccess.businessId, scope.businessId), eq(businessAccess.userId, userId)));
  await recordAudit(scope, { action: "member.remove", entityType: "member", entityId: userId });
  return { userId, removed: true };
}
