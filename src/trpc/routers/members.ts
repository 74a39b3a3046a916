import { z } from "zod";
import { inviteMember } from "../../services/members/invite.ts";
import { listMembers } from "../../services/members/list.ts";
import { removeMember } from "../../services/members/remove.ts";
import { InviteMemberInput, InvitedMember, MemberRemoved, MemberView, RemoveMemberInput } from "../../services/members/schemas.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/**
 * Staff access: owners and managers (members:write) invite and remove; listing
 * needs members:read, which the default staff role does not hold.
 */
export const membersRouter = router({
  invite: tenantProcedureWith("members:write")
    .input(InviteMemberInput)
    .output(InvitedMember)
    .mutation(({ ctx, input }) => inviteMember(ctx.scope, input)),
  list: tenantProcedureWith("members:read").output(z.array(MemberView)).query(({ ctx }) => listMembers(ctx.scope)),
  remove: tenantProcedureWith("members:write")
    .input(RemoveMemberInput)
    .output(MemberRemoved)
    .mutation(({ ctx, input }) => removeMember(ctx.scope, input.userId)),
});
