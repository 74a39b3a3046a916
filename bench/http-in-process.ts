/**
 * What the HTTP stack adds, measured in one server process: the same answer
 * served three ways by Bun.serve on loopback, in this process:
 *
 *   tRPC    `tenants.current` through createApp(deps): JWT, tenant scope, RLS
 *   raw     a plain Hono route running currentTenant's two queries on the owner
 *           pool (explicit business_id, no transaction, no context), same JSON
 *   const   a plain Hono route returning that JSON as a constant: the ceiling
 *
 * The load still comes from another process (bench/http-load.ts), which
 * bench/http.ts has started; targets alternate in rounds so drift on a shared
 * machine hits each alike. Nothing else runs in this process meanwhile.
 */
import { createTRPCClient, httpLink } from "@trpc/client";
import { Hono } from "hono";
import postgres from "postgres";
import superjson from "superjson";
import { createApp } from "../src/app.ts";
import { createDeps } from "../src/deps.ts";
import type { AppRouter } from "../src/trpc/router.ts";
import type { BenchEnv } from "./env.ts";
import { serveOnLoopback, type LoadGenerator, type LoadTarget } from "./http-load.ts";
import { int, ratio } from "./stats.ts";

const POOL_MAX = 10; // the app's default, for both the tRPC and the raw route
const ROUNDS = 3;
const ROUND_SECONDS = 3;
const WARMUP_SECONDS = 1;

/** A user who owns a business, made through the public API like a real client. */
export async function ownerWithTenant(baseUrl: string) {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${baseUrl}/trpc`, transformer: superjson })] });
  const email = `bench-${crypto.randomUUID()}@example.test`;
  const password = `bench-${crypto.randomUUID()}`;
  await anonymous.auth.register.mutate({ email, password, name: "Bench Owner" });
  const { accessToken } = await anonymous.auth.login.mutate({ email, password });
  const authed = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc`, transformer: superjson, headers: { authorization: `Bearer ${accessToken}` } })],
  });
  const tenant = await authed.tenants.provision.mutate({ name: "Bench Bazaar", industryType: "retail" });
  return { accessToken, tenant };
}

/** currentTenant's answer from plain SQL, shaped as tRPC (superjson) sends it. */
async function rawCurrent(sql: postgres.Sql, businessId: number) {
  const [t] = await sql`
    select id, tenant_key, slug, name, industry_type, status, tenant_tier, data_residency, created_at
      from business_tenants where id = ${businessId}`;
  const [s] = await sql`
    select plan_id, status, billing_cycle, trial_ends_at, current_period_end, cancel_at_period_end
      from business_subscriptions where business_id = ${businessId} order by id desc limit 1`;
  const [settings] = await sql`select logo_file_id from business_settings where business_id = ${businessId}`;
  const value = {
    businessId: Number(t!.id),
    tenantKey: t!.tenant_key,
    slug: t!.slug,
    name: t!.name,
    industryType: t!.industry_type,
    status: t!.status,
    tenantTier: t!.tenant_tier,
    dataResidency: t!.data_residency,
    createdAt: t!.created_at,
    logoFileId: settings?.logo_file_id == null ? null : Number(settings.logo_file_id),
    subscription: s
      ? {
          planId: s.plan_id,
          status: s.status,
          billingCycle: s.billing_cycle,
          trialEndsAt: s.trial_ends_at,
          currentPeriodEnd: s.current_period_end,
          cancelAtPeriodEnd: s.cancel_at_period_end,
        }
      : null,
  };
  return { result: { data: superjson.serialize(value) } };
}

export async function inProcessHttpBench(env: BenchEnv, load: LoadGenerator): Promise<string[]> {
  const { say } = env;
  const deps = createDeps({ roleUrls: env.roleUrls, contextKey: env.contextKey, pool: { max: POOL_MAX }, tokens: { secret: crypto.randomUUID() }, baseDomain: "desibazaar.test" });
  const owner = postgres(env.ownerUrl, { max: POOL_MAX, onnotice: () => {} });
  const trpcServer = serveOnLoopback(createApp(deps).fetch);
  const trpcBase = `http://127.0.0.1:${trpcServer.port}`;
  try {
    const { accessToken, tenant } = await ownerWithTenant(trpcBase);
    // The plan's requests_per_minute would cap the tRPC target within a second. Raise it out of
    // reach (in this throw-away database): the limiter still counts, the request path is measured.
    await owner`update subscription_plans set requests_per_minute = 2000000000 where requests_per_minute is not null`;
    const trpcRequest = {
      url: `${trpcBase}/trpc/tenants.current`,
      headers: { authorization: `Bearer ${accessToken}`, "x-tenant-id": tenant.tenantKey },
    };
    const viaTrpc = await (await fetch(trpcRequest.url, { headers: trpcRequest.headers })).json();

    const plain = new Hono();
    plain.get("/current", async (c) => c.json(await rawCurrent(owner, tenant.businessId)));
    plain.get("/constant", (c) => c.json(viaTrpc));
    const plainServer = serveOnLoopback(plain.fetch);
    const plainBase = `http://127.0.0.1:${plainServer.port}`;
    try {
      const viaRaw = await (await fetch(`${plainBase}/current`)).json();
      // A baseline that answers something else measures nothing: say so loudly.
      if (!Bun.deepEquals(viaRaw, viaTrpc)) say(`WARNING: raw route JSON differs from tRPC:\n  tRPC ${JSON.stringify(viaTrpc)}\n  raw  ${JSON.stringify(viaRaw)}`);

      const targets: (LoadTarget & { key: string; label: string })[] = [
        { key: "trpc", label: "tRPC tenants.current (scoped, RLS)", url: trpcRequest.url, headerSets: [trpcRequest.headers] },
        { key: "raw", label: "plain Hono + raw query (owner pool)", url: `${plainBase}/current`, headerSets: [{}] },
        { key: "const", label: "plain Hono, constant JSON (ceiling)", url: `${plainBase}/constant`, headerSets: [{}] },
      ];
      say(`in this process: warming up, then ${ROUNDS} rounds x ${ROUND_SECONDS} s per target`);
      for (const t of targets) await load.run(t, WARMUP_SECONDS);

      const totals = new Map(targets.map((t) => [t.key, { ok: 0, failed: 0, ms: 0, rounds: [] as number[], firstFailure: undefined as string | undefined }]));
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < targets.length; k++) {
          const t = targets[(round + k) % targets.length]!; // rotate who goes first
          const r = await load.run(t, ROUND_SECONDS);
          const total = totals.get(t.key)!;
          total.ok += r.ok;
          total.failed += r.errors;
          total.firstFailure ??= r.firstFailure;
          total.ms += r.seconds * 1000;
          total.rounds.push(r.ok / r.seconds);
        }
      }
      const rps = (key: string) => (totals.get(key)!.ok * 1000) / totals.get(key)!.ms;
      for (const t of targets) {
        const { failed, rounds, firstFailure } = totals.get(t.key)!;
        const spread = `rounds ${int(Math.min(...rounds))}..${int(Math.max(...rounds))}`;
        say(`  ${t.label.padEnd(38)} ${int(rps(t.key)).padStart(7)} req/s  (${spread}${failed ? `, ${int(failed)} FAILED` : ""})`);
        if (firstFailure) say(`    first failure: ${firstFailure}`);
      }
      const failed = [...totals.values()].reduce((n, t) => n + t.failed, 0);
      return [
        ...(failed ? [`http: ${int(failed)} requests FAILED (first failures above): these req/s are not comparable`] : []),
        `http req/s: tRPC tenants.current ${int(rps("trpc"))}, plain Hono + raw query ${int(rps("raw"))} → raw/tRPC ${ratio(rps("raw") / rps("trpc"))}`,
        `http req/s: plain Hono constant JSON ${int(rps("const"))} (ceiling; tRPC reaches ${((100 * rps("trpc")) / rps("const")).toFixed(0)}% of it)`,
      ];
    } finally {
      await plainServer.stop();
    }
  } finally {
    await trpcServer.stop();
    await Promise.all([deps.close(), owner.end({ timeout: 5 })]);
  }
}
