/**
 * Account-level decisions only super admins make: how many businesses one user
 * may own, and who is a super admin. Each is recorded in the platform audit log.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "../../db/schema/index.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { Email, Id } from "../../lib/schemas.ts";
import { recordPlatformAudit } from "../audit/record.ts";

export const SetBusinessLimitInput = z.object({
  userId: Id,
  /** null: back to the platform's MAX_BUSINESSES_PER_USER. */
  limit: z.number().int().min(0).max(100_000).nullable(),
});
export type SetBusinessLimitInput = z.infer<typeof SetBusinessLimitInput>;

export const BusinessLimit = z.object({ userId: z.number(), limit: z.number().nullable() });

export async function setBusinessLimit(scope: AdminScope, input: SetBusinessLimitInput): Promise<{ userId: number; limit: number | null }> {
  const [row] = await scope.db
    .update(users)
    .set({ maxBusinesses: input.limit })
    .where(eq(users.id, input.userId))
    .returning({ userId: users.id, limit: users.maxBusinesses });
  if (!row) throw new NotFoundError(`User ${input.userId} not found`);
  await recordPlatformAudit(scope, { actorUserId: scope.userId ?? null, action: "user.business_limit", targetBusinessId: null, details: { userId: row.userId, limit: row.limit } });
  return row;
}

/** Makes an existing account a super admin: the explicit step PLATFORM_ADMIN_EMAIL never takes for an existing account. */
export async function promoteToSuperAdmin(scope: AdminScope, rawEmail: string): Promise<{ userId: number; email: string }> {
  const email = Email.parse(rawEmail);
  const [row] = await scope.db.update(users).set({ isSuperAdmin: true }).where(eq(users.email, email)).returning({ userId: users.id, email: users.email });
  if (!row) throw new NotFoundError(`No account has the e-mail ${email}`);
  await recordPlatformAudit(scope, { actorUserId: scope.userId ?? null, action: "user.promote_super_admin", targetBusinessId: null, details: { userId: row.userId } });
  return row;
}
