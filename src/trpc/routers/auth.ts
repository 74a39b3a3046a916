import { z } from "zod";
import { login } from "../../services/auth/login.ts";
import { logout } from "../../services/auth/logout.ts";
import { me } from "../../services/auth/me.ts";
import { refresh } from "../../services/auth/refresh.ts";
import { register } from "../../services/auth/register.ts";
import { LoginInput, LogoutOutput, Me, RefreshInput, RegisterInput, RegisterOutput, TokenPair, type Outcome } from "../../services/auth/schemas.ts";
import { authedProcedure, publicProcedure } from "../procedures.ts";
import { router } from "../init.ts";

/** Failed outcomes were committed (throttle counters, revocations); now they become errors. */
function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

export const authRouter = router({
  register: publicProcedure
    .input(RegisterInput)
    .output(RegisterOutput)
    .mutation(({ ctx, input }) => register(ctx.platform, input, { ip: ctx.clientIp() })),

  login: publicProcedure
    .input(LoginInput)
    .output(TokenPair)
    .mutation(({ ctx, input }) => login(ctx.platform, ctx.tokens, input, { ip: ctx.clientIp(), userAgent: ctx.userAgent })),

  refresh: publicProcedure
    .input(RefreshInput)
    .output(TokenPair)
    .mutation(async ({ ctx, input }) => unwrap(await ctx.platform((scope) => refresh(scope, ctx.tokens, input)))),

  logout: authedProcedure
    .input(z.object({}).optional())
    .output(LogoutOutput)
    .mutation(({ ctx }) => ctx.platform((scope) => logout(scope, ctx.user.userId, ctx.user.sessionId))),

  me: authedProcedure.output(Me).query(({ ctx }) => ctx.platform((scope) => me(scope, ctx.user.userId), { readOnly: true })),
});
