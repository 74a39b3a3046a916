import { z } from "zod";
import { billingCycle, PLAN_IDS } from "../../db/schema/enums.ts";

export const BillingCycleInput = z.enum(billingCycle.enumValues);

/** subscriptions.changePlan: a dearer plan applies now (prorated), a cheaper one or another cycle at the period end. */
export const ChangePlanInput = z.object({ planId: z.enum(PLAN_IDS), billingCycle: BillingCycleInput.optional() });
export type ChangePlanInput = z.infer<typeof ChangePlanInput>;
