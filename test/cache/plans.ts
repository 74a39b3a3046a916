/**
 * Businesses on plans of their own, so a rate-limit test can use small limits
 * without touching the shared plans every other test runs on.
 */
import type postgres from "postgres";
import { addMember, createTenant, newSession, type Principal, type TestTenant, unique } from "../setup/fixtures.ts";

/** A plan allowing `perMinute` requests a minute per business (null: unlimited). */
export async function customPlan(owner: postgres.Sql, perMinute: number | null): Promise<string> {
  const id = unique("rate-plan-");
  await owner`
    insert into subscription_plans (id, name, monthly_price_cents, yearly_price_cents, currency, trial_days, requests_per_minute)
    values (${id}, ${`Test ${id}`}, 1, 10, 'USD', 30, ${perMinute})`;
  return id;
}

/** Puts a business on `planId` (its trial, unended). Call before its first request: the plan is cached afterwards. */
export async function putOnPlan(owner: postgres.Sql, businessId: number, planId: string): Promise<void> {
  await owner`update business_subscriptions set plan_id = ${planId}, status = 'trialing', trial_ends_at = now() + interval '30 days' where business_id = ${businessId}`;
}

/**
 * A user with a live session, made without a password hash or check (argon2 is
 * slow on purpose, and these tests need many users, not sign-ins).
 */
export async function quickUser(owner: postgres.Sql, options: { superAdmin?: boolean } = {}): Promise<Principal> {
  const email = `${unique("rate-")}@example.test`;
  const [row] = await owner`
    insert into users (email, name, password_hash, is_super_admin) values (${email}, 'Cache Test', 'no password', ${options.superAdmin ?? false})
    returning id`;
  return newSession({ userId: Number(row!.id), email, password: "" });
}

export interface Shop {
  tenant: TestTenant;
  /** Its plan, its own: a test may change the plan's rate. */
  planId: string;
  owner: Principal;
  members: Principal[];
}

/** A business on its own plan, with `members` staff members besides the owner. */
export async function shopOnPlan(owner: postgres.Sql, perMinute: number | null, members = 0): Promise<Shop> {
  const user = await quickUser(owner);
  const tenant = await createTenant(user);
  const planId = await customPlan(owner, perMinute);
  await putOnPlan(owner, tenant.businessId, planId);
  const staff = [];
  for (let i = 0; i < members; i++) {
    const member = await quickUser(owner);
    await addMember(tenant, member, "staff", ["catalog:read"]);
    staff.push(member);
  }
  return { tenant, planId, owner: user, members: staff };
}
