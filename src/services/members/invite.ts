import { and, eq, sql } from "drizzle-orm";
import { businessAccess, roles } from "../../db/schema/index.ts";
import { ConflictError, NotFoundError } from "../../lib/errors.ts";
import { rows } from "../../tenancy/rows.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { recordAudit } from "../audit/record.ts";
import { assertWithinLimit } from "../subscriptions/limits.ts";
import type { InviteMemberInput } from "./schemas.ts";

/** Gives an existing platform account access to this business with the role's permissions. */
export async function inviteMember(scope: TenantScope, input: InviteMemberInput) {
  const [found] = await rows<{ id: string | null }>(scope.db, sql`select app.user_id_for_email(${input.email}) as id`);
  if (!found?.id) throw new NotFoundError("No account uses that e-mail; ask them to register first");
  const userId = Number(found.id);
  // An existing member is a conflict, whatever the plan: checked before the seat limit so the answer is accurate.
  const [existing] = await scope.db
    .select({ role: businessAccess.role })
    .from(businessAccess)
    .where(and(eq(businessAccess.businessId, scope.businessId), eq(businessAccess.userId, userId)));
  if (existing) throw new ConflictError("That user is already a member of this business");
  await assertWithinLimit(scope, "staffSeats");

  const [role] = await scope.db
    .select({ permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.businessId, scope.businessId), eq(roles.name, input.role)));
  const [row] = await scope.db
    .insert(businessAccess)
    .values({ businessId: scope.businessId, userId, role: input.role, permissions: role?.permissions ?? [] })
    .onConflictDoNothing()
    .returning({ role: businessAccess.role, permissions: businessAccess.permissions });
  if (!row) throw new ConflictError("That user is already a member of this business");
  await recordAudit(scope, { action: "member.invite", entityType: "member", entityId: userId, details: { role: input.role } });
  return { userId, role: row.role, permissions: row.permissions };
}
