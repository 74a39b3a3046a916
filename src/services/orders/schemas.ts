import { z } from "zod";
import { Id } from "../catalog/schemas.ts";
import { TenantRef } from "../tenants/schemas.ts";

export const CreateOrderInput = z.object({
  tenantKey: TenantRef,
  items: z
    .array(z.object({ productId: Id, quantity: z.number().int().min(1).max(1000) }))
    .min(1, "an order needs at least one item")
    .max(50),
});
export type CreateOrderInput = z.infer<typeof CreateOrderInput>;
