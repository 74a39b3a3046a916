import { z } from "zod";
import { Id, withTenantRef } from "../../lib/schemas.ts";

export const CreateOrderInput = withTenantRef({
  items: z
    .array(z.object({ productId: Id, quantity: z.number().int().min(1).max(1000) }))
    .min(1, "an order needs at least one item")
    .max(50),
});
export type CreateOrderInput = z.infer<typeof CreateOrderInput>;
