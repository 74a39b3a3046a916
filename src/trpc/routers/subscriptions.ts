import { cancelSubscription } from "../../services/subscriptions/cancel.ts";
import { changePlan } from "../../services/subscriptions/change-plan.ts";
import { currentSubscriptionOf } from "../../services/subscriptions/current.ts";
import { CancelOutput, ChangePlanInput, CurrentSubscription, PlanChangeOutput } from "../../services/subscriptions/schemas.ts";
import { router } from "../init.ts";
import { ownerProcedure, tenantProcedure } from "../procedures.ts";

/** The business's plan: any member may look; only the owner changes or cancels it. */
export const subscriptionsRouter = router({
  current: tenantProcedure.output(CurrentSubscription).query(({ ctx }) => currentSubscriptionOf(ctx.scope)),
  changePlan: ownerProcedure.input(ChangePlanInput).output(PlanChangeOutput).mutation(({ ctx, input }) => changePlan(ctx.scope, input)),
  cancel: ownerProcedure.output(CancelOutput).mutation(({ ctx }) => cancelSubscription(ctx.scope)),
});
