import { z } from "zod";
import { OutText, Text } from "../../lib/schemas.ts";
import { INDUSTRY_TYPES } from "../tenants/schemas.ts";

export const DirectorySearchInput = z
  .object({
    q: Text(100).optional(),
    industryType: z.enum(INDUSTRY_TYPES).optional(),
    city: Text(100).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .default({ limit: 20 });
export type DirectorySearchInput = z.infer<typeof DirectorySearchInput>;

export const UpdateListingInput = z
  .object({
    displayName: Text(120).min(2).optional(),
    description: Text(2000).nullable().optional(),
    city: Text(100).nullable().optional(),
    published: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "nothing to update");
export type UpdateListingInput = z.infer<typeof UpdateListingInput>;

/** A published listing, as anyone may see it. */
export const ListingView = z.object({
  tenantKey: OutText,
  slug: OutText,
  name: OutText,
  description: OutText.nullable(),
  city: OutText.nullable(),
  industryType: OutText,
});
export type ListingView = z.infer<typeof ListingView>;

/** The business's own listing, as its owner edits it. */
export const DirectoryView = z.object({
  businessId: z.number(),
  displayName: OutText,
  description: OutText.nullable(),
  city: OutText.nullable(),
  industryType: OutText,
  published: z.boolean(),
  updatedAt: z.date(),
});
export type DirectoryView = z.infer<typeof DirectoryView>;
