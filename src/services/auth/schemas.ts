import { z } from "zod";
import { memberRole, tenantStatus } from "../../db/schema/enums.ts";
import { Email, OutText, Password, Secret, Text } from "../../lib/schemas.ts";

export const RegisterInput = z.object({ email: Email, password: Password, name: Text(120).min(1) });
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z.object({ email: Email, password: Secret(1, 200) });
export type LoginInput = z.infer<typeof LoginInput>;

export const RefreshInput = z.object({ refreshToken: Secret(20, 200) });
export type RefreshInput = z.infer<typeof RefreshInput>;

export const RegisterOutput = z.object({ userId: z.number() });

export const TokenPair = z.object({ accessToken: OutText, refreshToken: OutText, expiresAt: z.date() });
export type TokenPair = z.infer<typeof TokenPair>;

export const LogoutOutput = z.object({ ok: z.literal(true) });

/** The caller and the businesses it belongs to (auth.me). */
export const Me = z.object({
  userId: z.number(),
  email: OutText,
  name: OutText,
  isSuperAdmin: z.boolean(),
  memberships: z.array(
    z.object({ tenantKey: OutText, slug: OutText, name: OutText, role: z.enum(memberRole.enumValues), status: z.enum(tenantStatus.enumValues) }),
  ),
});
export type Me = z.infer<typeof Me>;

/** Where a sign-in came from; used for throttling and kept on the session. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Returned (not thrown) where a failure must still commit its bookkeeping. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };
