import { z } from "zod";
import { orderStatus } from "../../db/schema/enums.ts";
import { Id, OutText } from "../../lib/schemas.ts";
import { withTenantRef } from "../../tenancy/tenant-ref.ts";

export const CreateOrderInput = withTenantRef({
  items: z
    .array(z.object({ productId: Id, quantity: z.number().int().min(1).max(1000) }))
    .min(1, "an order needs at least one item")
    .max(50),
});
export type CreateOrderInput = z.infer<typeof CreateOrderInput>;

/** An order as the business (and the customer who placed it) sees it. */
export const OrderView = z.object({
  id: z.number(),
  businessId: z.number(),
  customerUserId: z.number(),
  status: z.enum(orderStatus.enumValues),
  totalCents: z.number(),
  currency: OutText,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type OrderView = z.infer<typeof OrderView>;

/** A placed order with its lines (same product twice in the input is one line). */
export const PlacedOrder = OrderView.extend({ items: z.array(z.object({ productId: z.number(), quantity: z.number() })) });

/** A customer's own order in its list across businesses (the business is null once it is no longer open). */
export const CustomerOrderView = z.object({
  id: z.number(),
  businessId: z.number(),
  businessName: OutText.nullable(),
  tenantKey: OutText.nullable(),
  status: z.enum(orderStatus.enumValues),
  totalCents: z.number(),
  currency: OutText,
  createdAt: z.date(),
  items: z.array(z.object({ productId: z.number(), quantity: z.number(), unitPriceCents: z.number() })),
});
export type CustomerOrderView = z.infer<typeof CustomerOrderView>;
