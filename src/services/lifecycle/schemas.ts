import { z } from "zod";

const Reason = z.string().trim().min(3, "must say why (at least 3 characters)").max(500);

/** tenants.lifecycle.{activate,resume,delete}: which business, and optionally why. */
export const LifecycleInput = z.object({ tenantKey: z.uuid(), reason: Reason.optional() });
export type LifecycleInput = z.infer<typeof LifecycleInput>;

/** A suspension must say why: the owner is told, and the audit trail keeps it. */
export const SuspendInput = z.object({ tenantKey: z.uuid(), reason: Reason });
export type SuspendInput = z.infer<typeof SuspendInput>;

/** `force` purges before the retention period ends (super admins only). */
export const PurgeInput = z.object({ tenantKey: z.uuid(), reason: Reason.optional(), force: z.boolean().default(false) });
export type PurgeInput = z.infer<typeof PurgeInput>;
