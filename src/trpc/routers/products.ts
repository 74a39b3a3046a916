import { ListInput } from "../../lib/schemas.ts";
import { createProduct } from "../../services/products/create.ts";
import { deleteProduct } from "../../services/products/delete.ts";
import { findProduct } from "../../services/products/find.ts";
import { listProducts } from "../../services/products/list.ts";
import {
  CreateProductInput,
  ProductDeleted,
  ProductIdInput,
  ProductPage,
  ProductView,
  UpdateProductInput,
} from "../../services/products/schemas.ts";
import { updateProduct } from "../../services/products/update.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

export const productsRouter = router({
  create: tenantProcedureWith("catalog:write")
    .input(CreateProductInput)
    .output(ProductView)
    .mutation(({ ctx, input }) => createProduct(ctx.scope, input)),
  list: tenantProcedureWith("catalog:read").input(ListInput).output(ProductPage).query(({ ctx, input }) => listProducts(ctx.scope, input)),
  get: tenantProcedureWith("catalog:read").input(ProductIdInput).output(ProductView).query(({ ctx, input }) => findProduct(ctx.scope, input.id)),
  update: tenantProcedureWith("catalog:write")
    .input(UpdateProductInput)
    .output(ProductView)
    .mutation(({ ctx, input }) => updateProduct(ctx.scope, input)),
  delete: tenantProcedureWith("catalog:delete")
    .input(ProductIdInput)
    .output(ProductDeleted)
    .mutation(({ ctx, input }) => deleteProduct(ctx.scope, input.id)),
});
