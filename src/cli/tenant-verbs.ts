/**
 * The verbs of `bun run tenant`. Each takes what the command line gave and
 * returns what to print; src/cli/tenant.ts parses, dispatches and sets the exit code.
 * Operators act on the super-admin role; their actions are audited with via "cli".
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { tenantStatus, users, type TenantStatus } from "../db/schema/index.ts";
import { env } from "../env.ts";
import { register } from "../services/auth/register.ts";
import { activateTenant } from "../services/lifecycle/activate.ts";
import type { TransitionOptions } from "../services/lifecycle/apply-transition.ts";
import { deleteTenant } from "../services/lifecycle/delete.ts";
import { purgeTenant } from "../services/lifecycle/purge.ts";
import { resumeTenant } from "../services/lifecycle/resume.ts";
import { suspendTenant } from "../services/lifecycle/suspend.ts";
import { lockTenant } from "../services/lifecycle/tenant.ts";
import { promoteToSuperAdmin, setBusinessLimit } from "../services/admin/users.ts";
import { flushTenantCache } from "../services/operations/flush-cache.ts";
import { listPlanRates, setPlanRate } from "../services/operations/plan-rates.ts";
import { SetPlanRateInput } from "../services/operations/schemas.ts";
import { applyDueSubscriptionChanges } from "../services/subscriptions/apply-due.ts";
import { listTenants } from "../services/tenants/list.ts";
import { provisionTenant } from "../services/tenants/provision.ts";
import { ProvisionInput } from "../services/tenants/schemas.ts";
import type { AdminScope, Scopes } from "../tenancy/scopes.ts";
import { archiveProgressPrinter, FILE_VERBS } from "./file-verbs.ts";
import { checked, emailArg, str, tenantRefOf, wholeNumber, type Values } from "./arguments.ts";
import { SEARCH_VERBS } from "./search-verbs.ts";

import { UsageError } from "./usage-error.ts";

export { UsageError, type Values };

export interface VerbRun {
  scopes: Scopes;
  args: string[];
  values: Values;
  /** Human-readable lines (also printed with --json, on stderr, when they matter once: a generated password). */
  say(line: string): void;
}

export interface Verb {
  args: string;
  summary: string;
  options: Record<string, { type: "string" | "boolean"; help: string }>;
  run(ctx: VerbRun): Promise<unknown>;
}

/** The platform's policy for new businesses, as `bun run start` applies it. */
const PROVISIONING_POLICY = { trialPlanId: env.TRIAL_PLAN, maxBusinessesPerUser: env.MAX_BUSINESSES_PER_USER };

/** Who the audit trail says acted: an operator at the command line, no user account. */
const CLI_ACTOR = { userId: null, via: "cli" } as const;

const operator = (values: Values): TransitionOptions => ({
  actor: CLI_ACTOR,
  reason: str(values, "reason"),
});

/** The owner's user id; creates the account (printing its password once) when no user has that e-mail. */
async function ownerFor(scopes: Scopes, rawEmail: string, say: (line: string) => void): Promise<number> {
  const email = emailArg(rawEmail, "--owner-email");
  const [found] = await scopes.asPlatform((s) => s.db.select({ id: users.id }).from(users).where(eq(users.email, email)));
  if (found) return found.id;
  const password = randomBytes(18).toString("base64url");
  const { userId } = await register(scopes.asPlatform, { email, password, name: email.split("@")[0]! });
  say(`created user ${email} (id ${userId}) with password ${password}`);
  say("  this password is shown only now and stored only as a hash: hand it to the owner");
  return userId;
}

const lifecycle = (summary: string, run: (scope: AdminScope, ref: string, options: TransitionOptions) => Promise<{ status: string }>): Verb => ({
  args: "<tenantKey|slug>",
  summary,
  options: { reason: { type: "string", help: "why (kept in the audit trail)" } },
  run: ({ scopes, args, values }) => scopes.asSuperAdmin((s) => run(s, tenantRefOf(args), operator(values))),
});

export const VERBS: Record<string, Verb> = {
  provision: {
    args: "",
    summary: "create a business (pending) with its owner, plan, defaults and subdomain",
    options: {
      name: { type: "string", help: "business name (required)" },
      industry: { type: "string", help: "salon | restaurant | grocery | retail | services | other (required)" },
      "owner-email": { type: "string", help: "owner's e-mail; a missing user is created and its password printed once (required)" },
      plan: { type: "string", help: "free | standard | professional | enterprise (default free)" },
      tier: { type: "string", help: "standard | premium | enterprise (default standard)" },
      residency: { type: "string", help: "in | eu | us | uk | ae | sg (default in)" },
      "idempotency-key": { type: "string", help: "a retry with the same key returns the same business" },
    },
    async run({ scopes, args, values, say }) {
      if (args.length) throw new UsageError(`provision takes no positional arguments (got ${args.join(" ")})`);
      const ownerEmail = str(values, "owner-email");
      if (!ownerEmail) throw new UsageError("--owner-email is required");
      const input = checked(ProvisionInput, {
        name: str(values, "name"),
        industryType: str(values, "industry"),
        subscriptionPlanId: str(values, "plan"),
        tenantTier: str(values, "tier"),
        dataResidency: str(values, "residency"),
        idempotencyKey: str(values, "idempotency-key"),
      });
      const userId = await ownerFor(scopes, ownerEmail, say);
      return scopes.asNewTenant(userId, (s) => provisionTenant(s, userId, input, { baseDomain: env.BASE_DOMAIN, policy: PROVISIONING_POLICY }));
    },
  },

  list: {
    args: "",
    summary: "list businesses, newest first",
    options: {
      status: { type: "string", help: "only pending | active | suspended | closed" },
      limit: { type: "string", help: "at most this many (default 50)" },
    },
    async run({ scopes, values }) {
      const status = str(values, "status") as TenantStatus | undefined;
      if (status && !tenantStatus.enumValues.includes(status)) throw new UsageError(`--status: unknown status ${status}`);
      const limit = wholeNumber(str(values, "limit") ?? "50", "--limit", 1, 10_000);
      return scopes.asSuperAdmin((s) => listTenants(s, { status, limit }), { readOnly: true });
    },
  },

  activate: lifecycle("pending → active", activateTenant),
  suspend: {
    ...lifecycle("active → suspended (--reason required)", suspendTenant),
    options: { reason: { type: "string", help: "why (required; kept in the audit trail)" } },
    async run({ scopes, args, values }) {
      if (!str(values, "reason")?.trim()) throw new UsageError("suspend needs --reason");
      return scopes.asSuperAdmin((s) => suspendTenant(s, tenantRefOf(args), operator(values)));
    },
  },
  resume: lifecycle("suspended → active", resumeTenant),
  delete: lifecycle("pending | active | suspended → closed (soft delete; purge after 30 days)", deleteTenant),

  purge: {
    args: "<tenantKey|slug>",
    summary: "hard-delete a closed business, every row in every table and every file (archived first; after the 30-day retention)",
    options: {
      force: { type: "boolean", help: "purge before the retention period ends" },
      reason: { type: "string", help: "why (kept in the platform audit log)" },
    },
    run: ({ scopes, args, values, say }) =>
      scopes.asSuperAdmin((s) =>
        purgeTenant(s, tenantRefOf(args), { ...operator(values), force: values.force === true, onProgress: archiveProgressPrinter(say) }),
      ),
  },

  rollover: {
    args: "",
    summary: "apply due subscription changes: renewals, scheduled downgrades, cancellations, ended trials",
    options: {
      now: { type: "string", help: "act as if it were this ISO time (default: now)" },
      tenant: { type: "string", help: "only this business (tenantKey or slug)" },
    },
    async run({ scopes, values }) {
      const now = str(values, "now") ? new Date(str(values, "now")!) : new Date();
      if (Number.isNaN(now.getTime())) throw new UsageError("--now must be an ISO date-time such as 2030-01-31T00:00:00Z");
      const ref = str(values, "tenant");
      const businessIds = ref ? [(await scopes.asSuperAdmin((s) => lockTenant(s, ref))).id] : undefined;
      const total = { processed: 0, events: {} as Record<string, number>, failed: [] as unknown[] };
      for (let more = true; more; ) {
        const r = await scopes.asSuperAdmin((s) => applyDueSubscriptionChanges(s, { now, businessIds }));
        total.processed += r.processed;
        for (const [k, n] of Object.entries(r.events)) total.events[k] = (total.events[k] ?? 0) + (n ?? 0);
        total.failed.push(...r.failed);
        more = r.remaining && r.processed > 0;
      }
      if (total.failed.length) throw new Error(`rollover failed for ${total.failed.length} business(es): ${JSON.stringify(total.failed)}`);
      return total;
    },
  },

  "promote-admin": {
    args: "<email>",
    summary: "make an existing account a super admin (PLATFORM_ADMIN_EMAIL never promotes an existing account)",
    options: {},
    async run({ scopes, args }) {
      if (args.length !== 1) throw new UsageError("name the account: its e-mail");
      const email = emailArg(args[0], "the account");
      return scopes.asSuperAdmin((s) => promoteToSuperAdmin(s, email));
    },
  },

  "business-limit": {
    args: "<email> <count|default>",
    summary: "how many open businesses one account may own (default: MAX_BUSINESSES_PER_USER)",
    options: {},
    async run({ scopes, args }) {
      if (args.length !== 2) throw new UsageError("give the account's e-mail and a count (or `default`)");
      const email = emailArg(args[0], "the account");
      const limit = args[1] === "default" ? null : wholeNumber(args[1]!, "the count (or `default`)", 0, 100_000);
      return scopes.asSuperAdmin(async (s) => {
        const [user] = await s.db.select({ id: users.id }).from(users).where(eq(users.email, email));
        if (!user) throw new Error(`no account has the e-mail ${email}`);
        return setBusinessLimit(s, { userId: user.id, limit });
      });
    },
  },
  ...FILE_VERBS,
  ...SEARCH_VERBS,
  "rate-limit": {
    args: "[<plan> <requests-per-minute|unlimited>]",
    summary: "show each plan's request rate, or set one plan's (per business; each member gets a fifth; applies within a minute)",
    options: {},
    async run({ scopes, args }) {
      if (args.length === 0) return scopes.asSuperAdmin((s) => listPlanRates(s), { readOnly: true });
      if (args.length !== 2) throw new UsageError("give a plan and a number of requests per minute (or `unlimited`), or nothing to list them");
      const input = checked(SetPlanRateInput, { planId: args[0], requestsPerMinute: args[1] === "unlimited" ? null : Number(args[1]) });
      return scopes.asSuperAdmin((s) => setPlanRate(s, input, CLI_ACTOR));
    },
  },

  "flush-cache": {
    args: "<tenantKey|slug>",
    summary: "drop everything cached for one business, in every API process (its rate buckets stay)",
    options: {},
    run: ({ scopes, args }) => scopes.asSuperAdmin((s) => flushTenantCache(s, tenantRefOf(args), CLI_ACTOR)),
  },
};
