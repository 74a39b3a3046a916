import { z } from "zod";

export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a 3-letter ISO currency code")
  .transform((c) => c.toUpperCase());
export const Cents = z.number().int("must be whole cents").min(0).max(100_000_000);
export const Name = z.string().trim().min(1).max(200);

export const CreateCategoryInput = z.object({ name: Name, description: z.string().trim().max(2000).optional() });
export type CreateCategoryInput = z.infer<typeof CreateCategoryInput>;

export const CreateServiceInput = z.object({
  name: Name,
  description: z.string().trim().max(2000).optional(),
  durationMinutes: z.number().int().min(5).max(1440),
  priceCents: Cents,
  currency: Currency.optional(),
});
export type CreateServiceInput = z.infer<typeof CreateServiceInput>;

export const ListInput = z.object({ cursor: Id.optional(), limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 });
export type ListInput = z.infer<typeof ListInput>;
