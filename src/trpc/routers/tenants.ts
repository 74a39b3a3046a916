import { activateTenant } from "../../services/lifecycle/activate.ts";
import { LogoSet, SetLogoInput } from "../../services/files/schemas.ts";
import { setLogo } from "../../services/files/set-logo.ts";
import { deleteTenant } from "../../services/lifecycle/delete.ts";
import { purgeTenant } from "../../services/lifecycle/purge.ts";
import { resumeTenant } from "../../services/lifecycle/resume.ts";
import { LifecycleInput, PurgeInput, PurgeOutput, SuspendInput, TransitionOutput } from "../../services/lifecycle/schemas.ts";
import { suspendTenant } from "../../services/lifecycle/suspend.ts";
import { currentTenant } from "../../services/tenants/current.ts";
import { provisionTenant } from "../../services/tenants/provision.ts";
import { CurrentTenant, ProvisionedTenant, ProvisionInput } from "../../services/tenants/schemas.ts";
import { adminProcedure, authedProcedure, ownerProcedure, tenantProcedure } from "../procedures.ts";
import { router } from "../init.ts";

const actorOf = (userId: number) => ({ userId, via: "api" as const });

type Transition = typeof activateTenant;

/** A transition the business's owner may make on it, and a super admin on any business. */
const ownerOrSuperAdminTransition = (transition: Transition) =>
  authedProcedure
    .input(LifecycleInput)
    .output(TransitionOutput)
    .mutation(({ ctx, input }) =>
      ctx.asOwnerOrSuperAdmin(input.tenantRef, (scope) => transition(scope, input.tenantRef, { actor: actorOf(ctx.user.userId), reason: input.reason })),
    );

/**
 * Status changes. activate and delete: the business's owner or a super admin;
 * suspend, resume and purge: super admins only. An illegal transition is CONFLICT.
 */
const lifecycleRouter = router({
  activate: ownerOrSuperAdminTransition(activateTenant),
  suspend: adminProcedure
    .input(SuspendInput)
    .output(TransitionOutput)
    .mutation(({ ctx, input }) => suspendTenant(ctx.scope, input.tenantRef, { actor: actorOf(ctx.user.userId), reason: input.reason })),
  resume: adminProcedure
    .input(LifecycleInput)
    .output(TransitionOutput)
    .mutation(({ ctx, input }) => resumeTenant(ctx.scope, input.tenantRef, { actor: actorOf(ctx.user.userId), reason: input.reason })),
  delete: ownerOrSuperAdminTransition(deleteTenant),
  /** Hard delete after the retention period; `force` skips the wait. */
  purge: adminProcedure
    .input(PurgeInput)
    .output(PurgeOutput)
    .mutation(({ ctx, input }) => purgeTenant(ctx.scope, input.tenantRef, { actor: actorOf(ctx.user.userId), reason: input.reason, force: input.force })),
});

export const tenantsRouter = router({
  /** Creates a business; the caller becomes its owner. */
  provision: authedProcedure
    .input(ProvisionInput)
    .output(ProvisionedTenant)
    .mutation(({ ctx, input }) => ctx.provision((scope) => provisionTenant(scope, ctx.user.userId, input, { baseDomain: ctx.baseDomain, policy: ctx.policy }))),

  current: tenantProcedure.output(CurrentTenant).query(({ ctx }) => currentTenant(ctx.scope)),

  /** The owner sets (or clears, with null) the business's logo: a logos file of this business. */
  setLogo: ownerProcedure.input(SetLogoInput).output(LogoSet).mutation(({ ctx, input }) => setLogo(ctx.scope, input)),

  lifecycle: lifecycleRouter,
});
