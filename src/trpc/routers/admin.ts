import { SetBusinessLimitInput, setBusinessLimit } from "../../services/admin/users.ts";
import { router } from "../init.ts";
import { adminProcedure } from "../procedures.ts";

/** Platform operations for super admins. */
export const adminRouter = router({
  users: router({
    /** How many open businesses one account may own; `limit: null` returns it to MAX_BUSINESSES_PER_USER. */
    setBusinessLimit: adminProcedure.input(SetBusinessLimitInput).mutation(({ ctx, input }) => setBusinessLimit(ctx.scope, input)),
  }),
});
