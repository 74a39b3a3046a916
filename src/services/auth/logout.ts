import { and, eq, isNull, sql } from "drizzle-orm";
import { sessions } from "../../db/schema/index.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";

export async function revokeSession(scope: PlatformScope, sessionId: string, reason: string): Promise<void> {
  await scope.db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function logout(scope: PlatformScope, userId: number, sessionId: string): Promise<{ ok: true }> {
  await scope.db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: "logout" })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  return { ok: true };
}
