-- Every table with a business_id column is a tenant table. Each one, including
-- tables added later, gets: RLS enabled and FORCED (so even the owner is filtered),
-- a tenant policy for desibazaar_app, and a super-admin policy for desibazaar_admin.
-- Policies are per role and contain no OR: an `OR is_super_admin()` would make the
-- planner ignore the business_id index and let a forged setting widen access.
DO $$
DECLARE
  t record;
  tenant_expr constant text := $e$business_id = (SELECT app.current_tenant_id())$e$;
BEGIN
  FOR t IN
    SELECT c.relname
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'business_id' AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t.relname);
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t.relname);

    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON public.%I', t.relname);
    EXECUTE format('CREATE POLICY tenant_isolation ON public.%I AS PERMISSIVE FOR ALL TO desibazaar_app USING (%s) WITH CHECK (%s)',
                   t.relname, tenant_expr, tenant_expr);

    EXECUTE format('DROP POLICY IF EXISTS super_admin_all ON public.%I', t.relname);
    EXECUTE format('CREATE POLICY super_admin_all ON public.%I AS PERMISSIVE FOR ALL TO desibazaar_admin USING (true) WITH CHECK (true)',
                   t.relname);

    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO desibazaar_app, desibazaar_admin', t.relname);
  END LOOP;
END $$;

-- The audit log is append-only for everyone the application logs in as.
REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_log FROM desibazaar_app, desibazaar_admin, desibazaar_customer, desibazaar_platform;

-- The public directory: anyone may read published listings, nothing else.
DROP POLICY IF EXISTS directory_published ON public.business_directory;
CREATE POLICY directory_published ON public.business_directory AS PERMISSIVE FOR SELECT
  TO desibazaar_platform USING (published);
GRANT SELECT ON public.business_directory TO desibazaar_platform;
