/**
 * The tenant lifecycle as a state machine:
 *
 *   pending ──activate──▶ active ──suspend──▶ suspended
 *                          ▲ └──────resume───────┘
 *   pending | active | suspended ──delete──▶ closed ──purge (after 30 days)──▶ (gone)
 *
 * Anything else is refused with CONFLICT (the request is well formed; it
 * conflicts with the business's current state, and the same call may succeed
 * in another state), naming both states.
 */
import type { TenantStatus } from "../../db/schema/enums.ts";
import { ConflictError } from "../../lib/errors.ts";

export type { TenantStatus };
export type LifecycleVerb = "activate" | "suspend" | "resume" | "delete" | "purge";

export const TRANSITIONS: Record<LifecycleVerb, { from: readonly TenantStatus[]; to: TenantStatus | "purged" }> = {
  activate: { from: ["pending"], to: "active" },
  suspend: { from: ["active"], to: "suspended" },
  resume: { from: ["suspended"], to: "active" },
  // Closing is allowed from any open state: an owner may leave while suspended, an operator may drop an abandoned sign-up.
  delete: { from: ["pending", "active", "suspended"], to: "closed" },
  purge: { from: ["closed"], to: "purged" },
};

/** Closed businesses are kept this long (restorable, auditable) before they may be purged. */
export const RETENTION_DAYS = 30;

export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly verb: LifecycleVerb,
    readonly from: TenantStatus,
  ) {
    const { from: allowed, to } = TRANSITIONS[verb];
    super(`Cannot ${verb} a ${from} business: ${from} → ${to} is not a legal transition (${verb} applies to ${allowed.join(" or ")} businesses)`);
  }
}

/** The status `verb` leads to from `from`, or IllegalTransitionError. */
export function nextStatus(verb: LifecycleVerb, from: TenantStatus): TenantStatus | "purged" {
  const rule = TRANSITIONS[verb];
  if (!rule.from.includes(from)) throw new IllegalTransitionError(verb, from);
  return rule.to;
}
