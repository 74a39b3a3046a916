import { currentTenant } from "../../services/tenants/current.ts";
import { provisionTenant } from "../../services/tenants/provision.ts";
import { ProvisionInput } from "../../services/tenants/schemas.ts";
import { authedProcedure, tenantProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const tenantsRouter = router({
  /** Creates a business; the caller becomes its owner. */
  provision: authedProcedure
    .input(ProvisionInput)
    .mutation(({ ctx, input }) => ctx.provision((scope) => provisionTenant(scope, ctx.user.userId, input))),

  current: tenantProcedure.query(({ ctx }) => currentTenant(ctx.scope)),
});
