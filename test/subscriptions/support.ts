/**
 * Shared set-up for the subscription tests: put a business's subscription in a
 * given state and give it usage, on the owner connection (the states are what
 * the services would have written; building each through months of calls would
 * test nothing more).
 */
import type postgres from "postgres";
import { unique } from "../setup/fixtures.ts";

export type SubscriptionState = {
  planId: string;
  status: "trialing" | "active" | "canceled";
  billingCycle?: "monthly" | "yearly";
  start: Date;
  end: Date;
  trialEndsAt?: Date | null;
};

export async function setSubscription(sql: postgres.Sql, businessId: number, s: SubscriptionState): Promise<void> {
  await sql`
    update business_subscriptions
       set plan_id = ${s.planId}, status = ${s.status}, billing_cycle = ${s.billingCycle ?? "monthly"},
           current_period_start = ${s.start}, current_period_end = ${s.end}, trial_ends_at = ${s.trialEndsAt ?? null},
           cancel_at_period_end = false, canceled_at = null, pending_plan_id = null, pending_billing_cycle = null
     where business_id = ${businessId}`;
}

export async function subscriptionRow(sql: postgres.Sql, businessId: number) {
  const [row] = await sql`select * from business_subscriptions where business_id = ${businessId} order by id desc limit 1`;
  return row!;
}

export async function invoicesOf(sql: postgres.Sql, businessId: number) {
  return [...(await sql`select * from invoices where business_id = ${businessId} order by id`)];
}

/** `n` live products, straight into the table. */
export async function addProducts(sql: postgres.Sql, businessId: number, n: number): Promise<void> {
  await sql`
    insert into products (business_id, name, price_cents, currency)
    select ${businessId}, 'Bulk product ' || g, 100, 'INR' from generate_series(1, ${n}::int) g`;
}

/** `n` staff members (new platform users, no password needed: they never sign in here). */
export async function addStaff(sql: postgres.Sql, businessId: number, n: number): Promise<void> {
  const tag = unique("staff");
  await sql`
    with u as (
      insert into users (email, name, password_hash)
      select ${tag} || '-' || g || '@example.test', 'Bulk staff', 'x' from generate_series(1, ${n}::int) g
      returning id)
    insert into business_access (business_id, user_id, role) select ${businessId}, id, 'staff' from u`;
}

export const at = (iso: string) => new Date(iso);
