import { z } from "zod";
import { Email, Password, Secret, Text } from "../../lib/schemas.ts";

export const RegisterInput = z.object({ email: Email, password: Password, name: Text(120).min(1) });
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z.object({ email: Email, password: Secret(1, 200) });
export type LoginInput = z.infer<typeof LoginInput>;

export const RefreshInput = z.object({ refreshToken: Secret(20, 200) });
export type RefreshInput = z.infer<typeof RefreshInput>;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/** Where a sign-in came from; used for throttling and kept on the session. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Returned (not thrown) where a failure must still commit its bookkeeping. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };
