import { z } from "zod";
import { SLUG_PATTERN } from "../../tenancy/tenant-ref.ts";

export const INDUSTRY_TYPES = ["salon", "restaurant", "grocery", "retail", "services", "other"] as const;
export const TENANT_TIERS = ["standard", "premium", "enterprise"] as const;
export const DATA_RESIDENCIES = ["in", "eu", "us", "uk", "ae", "sg"] as const;

export const ProvisionInput = z.object({
  name: z.string().trim().min(2).max(120),
  industryType: z.enum(INDUSTRY_TYPES),
  subscriptionPlanId: z.enum(["free", "standard", "professional", "enterprise"]).default("free"),
  tenantTier: z.enum(TENANT_TIERS).default("standard"),
  dataResidency: z.enum(DATA_RESIDENCIES).default("in"),
  /** A retry with the same key (by the same user) returns the business the first request created. */
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .optional(),
});
export type ProvisionInput = z.infer<typeof ProvisionInput>;

/** What clients may send to pick a tenant: its tenantKey (uuid) or its slug. */
export const TenantRef = z.union([z.uuid(), z.string().regex(SLUG_PATTERN)]);
