import { z } from "zod";
import { billingCycle, PLAN_IDS, subscriptionStatus, tenantStatus } from "../../db/schema/enums.ts";
import { ClientKey, OutText, Text } from "../../lib/schemas.ts";

export const INDUSTRY_TYPES = ["salon", "restaurant", "grocery", "retail", "services", "other"] as const;
export const TENANT_TIERS = ["standard", "premium", "enterprise"] as const;
export const DATA_RESIDENCIES = ["in", "eu", "us", "uk", "ae", "sg"] as const;

export const ProvisionInput = z.object({
  name: Text(120).min(2),
  industryType: z.enum(INDUSTRY_TYPES),
  subscriptionPlanId: z.enum(PLAN_IDS).default("free"),
  tenantTier: z.enum(TENANT_TIERS).default("standard"),
  dataResidency: z.enum(DATA_RESIDENCIES).default("in"),
  /** A retry with the same key (by the same user) returns the business the first request created. */
  idempotencyKey: ClientKey(200).optional(),
});
export type ProvisionInput = z.infer<typeof ProvisionInput>;

/** tenants.current: the business and its current subscription (null before it has one). */
export const CurrentTenant = z.object({
  businessId: z.number(),
  tenantKey: OutText,
  slug: OutText,
  name: OutText,
  industryType: OutText,
  status: z.enum(tenantStatus.enumValues),
  tenantTier: OutText,
  dataResidency: OutText,
  createdAt: z.date(),
  /** The business's logo (a logos file; tenants.setLogo), or null. */
  logoFileId: z.number().nullable(),
  subscription: z
    .object({
      planId: OutText,
      status: z.enum(subscriptionStatus.enumValues),
      billingCycle: z.enum(billingCycle.enumValues),
      trialEndsAt: z.date().nullable(),
      currentPeriodEnd: z.date(),
      cancelAtPeriodEnd: z.boolean(),
    })
    .nullable(),
});
export type CurrentTenant = z.infer<typeof CurrentTenant>;

export const ProvisionedTenant = CurrentTenant.pick({ businessId: true, tenantKey: true, slug: true, status: true }).extend({
  /** `{slug}.{BASE_DOMAIN}`: where the business answers. */
  subdomain: OutText,
});
export type ProvisionedTenant = z.infer<typeof ProvisionedTenant>;
