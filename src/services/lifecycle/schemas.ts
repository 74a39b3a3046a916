import { z } from "zod";
import { tenantStatus } from "../../db/schema/enums.ts";
import { OutText, Text } from "../../lib/schemas.ts";
import { withTenantRef } from "../../tenancy/tenant-ref.ts";

const Reason = Text(500).min(3, "must say why (at least 3 characters)");

/** tenants.lifecycle.{activate,resume,delete}: which business (tenantKey or slug), and optionally why. */
export const LifecycleInput = withTenantRef({ reason: Reason.optional() });
export type LifecycleInput = z.infer<typeof LifecycleInput>;

/** A suspension must say why: the owner is told, and the audit trail keeps it. */
export const SuspendInput = withTenantRef({ reason: Reason });
export type SuspendInput = z.infer<typeof SuspendInput>;

/** `force` purges before the retention period ends (super admins only). */
export const PurgeInput = withTenantRef({ reason: Reason.optional(), force: z.boolean().default(false) });
export type PurgeInput = z.infer<typeof PurgeInput>;

/** What a lifecycle transition answers: the business's status now. */
export const TransitionOutput = z.object({ status: z.enum(tenantStatus.enumValues) });

export const PurgeOutput = z.object({
  status: z.literal("purged"),
  /** Rows removed, per table (tables without rows of the business omitted). */
  rowsDeleted: z.record(OutText, z.number()),
});
