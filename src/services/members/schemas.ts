import { z } from "zod";
import { memberRole } from "../../db/schema/enums.ts";
import { Email, Id, OutText } from "../../lib/schemas.ts";

export const InviteMemberInput = z.object({ email: Email, role: z.enum(["manager", "staff"]) });
export type InviteMemberInput = z.infer<typeof InviteMemberInput>;

export const RemoveMemberInput = z.object({ userId: Id });
export type RemoveMemberInput = z.infer<typeof RemoveMemberInput>;

export const InvitedMember = z.object({ userId: z.number(), role: z.enum(memberRole.enumValues), permissions: z.array(OutText) });

export const MemberView = z.object({
  userId: z.number(),
  email: OutText,
  name: OutText,
  role: z.enum(memberRole.enumValues),
  permissions: z.array(OutText),
  since: z.date(),
});
export type MemberView = z.infer<typeof MemberView>;

export const MemberRemoved = z.object({ userId: z.number(), removed: z.literal(true) });
