import { z } from "zod";
import { createService, listServices } from "../../services/catalog/bookable-services.ts";
import { CreateServiceInput, ServiceView } from "../../services/catalog/schemas.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/** Bookable services (haircuts, tables, consultations). */
export const servicesRouter = router({
  create: tenantProcedureWith("catalog:write")
    .input(CreateServiceInput)
    .output(ServiceView)
    .mutation(({ ctx, input }) => createService(ctx.scope, input)),
  list: tenantProcedureWith("catalog:read").output(z.array(ServiceView)).query(({ ctx }) => listServices(ctx.scope)),
});
