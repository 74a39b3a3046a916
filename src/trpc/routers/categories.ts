import { createCategory, listCategories } from "../../services/catalog/categories.ts";
import { CreateCategoryInput } from "../../services/catalog/schemas.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

export const categoriesRouter = router({
  create: tenantProcedureWith("catalog:write").input(CreateCategoryInput).mutation(({ ctx, input }) => createCategory(ctx.scope, input)),
  list: tenantProcedureWith("catalog:read").query(({ ctx }) => listCategories(ctx.scope)),
});
