import { router } from "./init.ts";
import { authRouter } from "./routers/auth.ts";
import { tenantsRouter } from "./routers/tenants.ts";

export const appRouter = router({
  auth: authRouter,
  tenants: tenantsRouter,
});

/** The type typed clients import: `createTRPCClient<AppRouter>(...)`. */
export type AppRouter = typeof appRouter;
