import { z } from "zod";
import { productStatus } from "../../db/schema/enums.ts";
import { Cents, Currency, Id, Name, OutText, Text } from "../../lib/schemas.ts";

export const CreateProductInput = z.object({
  name: Name,
  description: Text(5000).optional(),
  priceCents: Cents,
  currency: Currency.optional(),
  categoryId: Id.optional(),
  stock: z.number().int().min(0).max(10_000_000).default(0),
  status: z.enum(["active", "draft"]).default("active"),
  /** A products or gallery file of this business (files.* / POST /files/products). */
  imageFileId: Id.optional(),
});
export type CreateProductInput = z.infer<typeof CreateProductInput>;

export const UpdateProductInput = z
  .object({
    id: Id,
    name: Name.optional(),
    description: Text(5000).nullable().optional(),
    priceCents: Cents.optional(),
    currency: Currency.optional(),
    categoryId: Id.nullable().optional(),
    stock: z.number().int().min(0).max(10_000_000).optional(),
    status: z.enum(productStatus.enumValues).optional(),
    imageFileId: Id.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 1, "nothing to update: send at least one field besides id");
export type UpdateProductInput = z.infer<typeof UpdateProductInput>;

export const ProductIdInput = z.object({ id: Id });
export type ProductIdInput = z.infer<typeof ProductIdInput>;

/** A product as clients see it (no business id, no deletion time: deleted products are not shown). */
export const ProductView = z.object({
  id: z.number(),
  categoryId: z.number().nullable(),
  name: OutText,
  description: OutText.nullable(),
  priceCents: z.number(),
  currency: OutText,
  stock: z.number(),
  status: z.enum(productStatus.enumValues),
  /** A products or gallery file of this business (files.getDownloadUrl links it). */
  imageFileId: z.number().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ProductView = z.infer<typeof ProductView>;

export const ProductPage = z.object({ items: z.array(ProductView), nextCursor: z.number().nullable() });

export const ProductDeleted = z.object({ id: z.number(), deleted: z.literal(true) });
