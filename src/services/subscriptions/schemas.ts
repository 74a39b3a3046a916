import { z } from "zod";
import { PLAN_IDS } from "./plans.ts";

export const BillingCycleInput = z.enum(["monthly", "yearly"]);

/** subscriptions.changePlan: a dearer plan applies now (prorated), a cheaper one or another cycle at the period end. */
export const ChangePlanInput = z.object({ planId: z.enum(PLAN_IDS), billingCycle: BillingCycleInput.optional() });
export type ChangePlanInput = z.infer<typeof ChangePlanInput>;
