import { z } from "zod";
import { Cents, Currency, Name, OutText, Text } from "../../lib/schemas.ts";

export const CreateCategoryInput = z.object({ name: Name, description: Text(2000).optional() });
export type CreateCategoryInput = z.infer<typeof CreateCategoryInput>;

/** The longest a bookable service may last; the database holds the same bound (services_duration_positive). */
export const MAX_SERVICE_MINUTES = 1440;

export const CreateServiceInput = z.object({
  name: Name,
  description: Text(2000).optional(),
  durationMinutes: z.number().int().min(5).max(MAX_SERVICE_MINUTES),
  priceCents: Cents,
  currency: Currency.optional(),
});
export type CreateServiceInput = z.infer<typeof CreateServiceInput>;

export const CategoryView = z.object({ id: z.number(), name: OutText, description: OutText.nullable(), createdAt: z.date() });
export type CategoryView = z.infer<typeof CategoryView>;

export const ServiceView = z.object({
  id: z.number(),
  name: OutText,
  description: OutText.nullable(),
  durationMinutes: z.number(),
  priceCents: z.number(),
  currency: OutText,
  active: z.boolean(),
  createdAt: z.date(),
});
export type ServiceView = z.infer<typeof ServiceView>;
