-- Subscriptions: which plan's limits apply now, and metered quotas.

-- The rule for which plan's limits apply at p_now (trial over or cancellation
-- effective → free), as an inlinable table function: LANGUAGE sql, STABLE, no
-- SECURITY DEFINER and no SET, so the planner folds it into the calling query.
-- The plan-limit checks inside a tenant transaction (products, staff seats,
-- storage, tenants.current: src/services/subscriptions/limits.ts) read it there;
-- a SECURITY DEFINER function costs a planning pass per call (~0.3 ms against
-- ~0.02 ms inlined). It runs with the caller's rights: the tenant role sees its
-- own subscription only. The request rate limit does not come through here: it
-- is decided before any tenant transaction (src/tenancy/admission.ts), from the
-- plan app.effective_plan_id gives the platform role, cached for a minute.
CREATE OR REPLACE FUNCTION app.effective_plan(p_business bigint, p_now timestamptz)
  RETURNS TABLE (plan_id text)
  LANGUAGE sql STABLE
  AS $$
    SELECT CASE
             WHEN s.id IS NULL THEN 'free'
             WHEN s.status = 'trialing' AND s.trial_ends_at IS NOT NULL AND s.trial_ends_at <= p_now THEN 'free'
             WHEN s.status = 'canceled' THEN 'free'
             WHEN s.cancel_at_period_end AND s.current_period_end <= p_now THEN 'free'
             ELSE s.plan_id
           END
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
        SELECT bs.id, bs.plan_id, bs.status, bs.trial_ends_at, bs.cancel_at_period_end, bs.current_period_end
          FROM public.business_subscriptions bs
         WHERE bs.business_id = p_business
         ORDER BY bs.id DESC
         LIMIT 1
      ) s ON true
  $$;
REVOKE ALL ON FUNCTION app.effective_plan(bigint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.effective_plan(bigint, timestamptz) TO desibazaar_app, desibazaar_admin;

-- The same rule for the definer functions below, which read the subscription of the
-- business a booking is for whoever inserts it.
CREATE OR REPLACE FUNCTION app.effective_plan_id(p_business bigint, p_now timestamptz) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT e.plan_id FROM app.effective_plan(p_business, p_now) e $$;
REVOKE ALL ON FUNCTION app.effective_plan_id(bigint, timestamptz) FROM PUBLIC, desibazaar_app, desibazaar_customer, desibazaar_admin;
-- The request rate limit is decided before a tenant's transaction opens
-- (src/tenancy/rate-policy.ts, src/tenancy/admission.ts): on a cache miss the
-- platform role, which already resolves tenant refs (app.tenant_id_for_key) and
-- reads the plan catalogue, also asks which plan's limits apply to a business now.
-- Only the platform role: it has no tenant context to check the id against, and the
-- platform role serves sign-in and tenant resolution only, never a client's SQL.
GRANT EXECUTE ON FUNCTION app.effective_plan_id(bigint, timestamptz) TO desibazaar_platform;

-- Counts one unit of a monthly metric against the plan's limit, atomically: of
-- concurrent callers at the limit, none passes. Raises P0003 naming the limit and
-- the usage when the plan allows no more. Returns the new usage. No login role may
-- call it: it runs from the trigger on bookings (sql/007), so the business it counts
-- against is always the business of a booking actually being made, never an id a
-- caller chose.
DROP FUNCTION IF EXISTS app.consume_monthly_quota(bigint, text, timestamptz);
CREATE OR REPLACE FUNCTION app_private.consume_monthly_quota(p_business bigint, p_metric text, p_now timestamptz) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_plan text := app.effective_plan_id(p_business, p_now);
  v_limit bigint;
  v_period timestamptz := date_trunc('month', p_now AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_value bigint;
BEGIN
  IF p_metric = 'bookings' THEN
    SELECT max_bookings_per_month INTO v_limit FROM public.subscription_plans WHERE id = v_plan;
  ELSE
    RAISE EXCEPTION 'unknown metric %', p_metric USING ERRCODE = '22023';
  END IF;
  INSERT INTO public.usage_counters AS u (business_id, metric, period_start, value)
  VALUES (p_business, p_metric, v_period, 1)
  ON CONFLICT (business_id, metric, period_start) DO UPDATE SET value = u.value + 1
    WHERE v_limit IS NULL OR u.value < v_limit
  RETURNING u.value INTO v_value;
  IF v_value IS NULL OR (v_limit IS NOT NULL AND v_value > v_limit) THEN
    RAISE EXCEPTION 'plan limit reached: the % plan allows % % per month; % used this month',
      v_plan, v_limit, p_metric, coalesce(v_value - 1, v_limit) USING ERRCODE = 'P0003';
  END IF;
  RETURN v_value;
END $$;
REVOKE ALL ON FUNCTION app_private.consume_monthly_quota(bigint, text, timestamptz) FROM PUBLIC;
