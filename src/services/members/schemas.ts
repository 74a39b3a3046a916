import { z } from "zod";
import { Email, Id } from "../../lib/schemas.ts";

export const InviteMemberInput = z.object({ email: Email, role: z.enum(["manager", "staff"]) });
export type InviteMemberInput = z.infer<typeof InviteMemberInput>;

export const RemoveMemberInput = z.object({ userId: Id });
export type RemoveMemberInput = z.infer<typeof RemoveMemberInput>;
