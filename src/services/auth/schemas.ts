import { z } from "zod";

export const Email = z
  .email("must be an e-mail address")
  .max(254)
  .transform((e) => e.trim().toLowerCase());
export const Password = z.string().min(10, "must be at least 10 characters").max(200);

export const RegisterInput = z.object({ email: Email, password: Password, name: z.string().trim().min(1).max(120) });
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z.object({ email: Email, password: z.string().min(1).max(200) });
export type LoginInput = z.infer<typeof LoginInput>;

export const RefreshInput = z.object({ refreshToken: z.string().min(20).max(200) });
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
