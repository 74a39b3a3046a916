import { z } from "zod";

export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a 3-letter ISO currency code")
  .transform((c) => c.toUpperCase());
export const Cents = z.number().int("must be whole cents").min(0).max(100_000_000);
/**
 * Free text PostgreSQL can store. A NUL character is valid in a JS string but not in
 * a PostgreSQL text value: the insert would fail (22021) and surface as a 500.
 */
export const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\u0000]*$/, "must not contain NUL characters");
export const Name = Text(200).min(1);

export const CreateCategoryInput = z.object({ name: Name, description: Text(2000).optional() });
export type CreateCategoryInput = z.infer<typeof CreateCategoryInput>;

export const CreateServiceInput = z.object({
  name: Name,
  description: Text(2000).optional(),
  durationMinutes: z.number().int().min(5).max(1440),
  priceCents: Cents,
  currency: Currency.optional(),
});
export type CreateServiceInput = z.infer<typeof CreateServiceInput>;

export const ListInput = z.object({ cursor: Id.optional(), limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 });
export type ListInput = z.infer<typeof ListInput>;
