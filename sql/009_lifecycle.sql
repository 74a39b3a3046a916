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
  SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT t.id, t.tenant_key, t.slug, t.name, t.industry_type, t.status
      FROM public.business_tenants t
     WHERE t.created_by_user_id = app.current_user_id() AND t.provision_key = p_key
  $$;
REVOKE ALL ON FUNCTION app.provisioned_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.provisioned_tenant(text) TO desibazaar_app;

-- How many open businesses the calling user has created, and the limit a super admin
-- set for that user (NULL: the platform default, which the app knows). Provisioning
-- calls it first: the advisory lock serialises one user's concurrent provisioning
-- until commit, so two requests at the limit cannot both pass.
CREATE OR REPLACE FUNCTION app.provisioning_allowance()
  RETURNS TABLE (created bigint, user_limit integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_user bigint := app.current_user_id();
BEGIN
  IF v_user IS NULL THEN
    RAISE EXCEPTION 'provisioning needs a signed-in user' USING ERRCODE = '42501';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('provision:' || v_user, 0));
  RETURN QUERY
    SELECT (SELECT count(*) FROM public.business_tenants t WHERE t.created_by_user_id = v_user AND t.deleted_at IS NULL),
           (SELECT u.max_businesses FROM public.users u WHERE u.id = v_user);
END $$;
REVOKE ALL ON FUNCTION app.provisioning_allowance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.provisioning_allowance() TO desibazaar_app;
