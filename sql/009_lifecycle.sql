-- Tenant lifecycle and provisioning.

-- platform_audit_log records what super admins and operators did across tenants
-- (lifecycle transitions, purges). It has no business_id on purpose: a purge
-- deletes every tenant row, and the record of that purge must survive it. So
-- 003 does not cover it; here only the super-admin role may read it or append
-- to it, and no role the application logs in as may change or delete a line.
ALTER TABLE public.platform_audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.platform_audit_log FORCE ROW LEVEL SECURITY;
REVOKE ALL ON public.platform_audit_log FROM PUBLIC, desibazaar_app, desibazaar_customer, desibazaar_platform, desibazaar_admin;
DROP POLICY IF EXISTS super_admin_read ON public.platform_audit_log;
CREATE POLICY super_admin_read ON public.platform_audit_log FOR SELECT TO desibazaar_admin USING (true);
DROP POLICY IF EXISTS super_admin_append ON public.platform_audit_log;
CREATE POLICY super_admin_append ON public.platform_audit_log FOR INSERT TO desibazaar_admin WITH CHECK (true);
GRANT SELECT, INSERT ON public.platform_audit_log TO desibazaar_admin;
GRANT USAGE ON SEQUENCE public.platform_audit_log_id_seq TO desibazaar_admin;

-- The business the calling user already provisioned with this idempotency key,
-- if any. Provisioning runs as the new tenant, whose RLS context cannot see the
-- earlier business; this answers only for app.current_user_id(), so no caller
-- can look up another user's keys.
CREATE OR REPLACE FUNCTION app.provisioned_tenant(p_key text)
  RETURNS TABLE (id bigint, tenant_key uuid, slug text, name text, industry_type text, status tenant_status)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
    SELECT t.id, t.tenant_key, t.slug, t.name, t.industry_type, t.status
      FROM public.business_tenants t
     WHERE t.created_by_user_id = app.current_user_id() AND t.provision_key = p_key
  $$;
REVOKE ALL ON FUNCTION app.provisioned_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.provisioned_tenant(text) TO desibazaar_app;

-- The rule for which plan's limits apply at p_now (trial over or cancellation
-- effective → free), as an inlinable table function: LANGUAGE sql, STABLE, no
-- SECURITY DEFINER and no SET, so the planner folds it into the calling query.
-- tenantProcedure reads the request rate limit through it in its first query on
-- every request; the SECURITY DEFINER app.effective_plan_id (008) costs a
-- planning pass per call there (~0.3 ms against ~0.02 ms inlined). It runs with
-- the caller's rights: the tenant role sees its own subscription only.
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

-- One rule, not two: app.effective_plan_id (008, SECURITY DEFINER for callers that
-- cannot read the subscription, such as app.consume_monthly_quota's customers)
-- now answers through app.effective_plan. This replaces 008's body on every migrate.
CREATE OR REPLACE FUNCTION app.effective_plan_id(p_business bigint, p_now timestamptz) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$ SELECT e.plan_id FROM app.effective_plan(p_business, p_now) e $$;
