import { z } from "zod";
import { createCategory, listCategories } from "../../services/catalog/categories.ts";
import { CategoryView, CreateCategoryInput } from "../../services/catalog/schemas.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

export const categoriesRouter = router({
  create: tenantProcedureWith("catalog:write")
    .input(CreateCategoryInput)
    .output(CategoryView)
    .mutation(({ ctx, input }) => createCategory(ctx.scope, input)),
  list: tenantProcedureWith("catalog:read").output(z.array(CategoryView)).query(({ ctx }) => listCategories(ctx.scope)),
});
