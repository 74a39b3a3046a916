-- Platform tables (no business_id): users, sign-in state, the tenant registry.
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;
ALTER TABLE public.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE public.refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.refresh_tokens FORCE ROW LEVEL SECURITY;
ALTER TABLE public.auth_throttle ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.auth_throttle FORCE ROW LEVEL SECURITY;
ALTER TABLE public.business_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.business_tenants FORCE ROW LEVEL SECURITY;

-- Sign-in works before anyone is known, so the platform role manages users and sessions.
-- Registration can never create or edit a super admin: the platform role's writes must leave is_super_admin false.
REVOKE ALL ON public.users FROM desibazaar_platform, desibazaar_admin, desibazaar_customer, desibazaar_app;
DROP POLICY IF EXISTS platform_all ON public.users;
DROP POLICY IF EXISTS platform_read ON public.users;
CREATE POLICY platform_read ON public.users FOR SELECT TO desibazaar_platform USING (true);
DROP POLICY IF EXISTS platform_insert ON public.users;
-- A new account is never a super admin and never has a raised business allowance (only super admins set either).
CREATE POLICY platform_insert ON public.users FOR INSERT TO desibazaar_platform WITH CHECK (NOT is_super_admin AND max_businesses IS NULL);
DROP POLICY IF EXISTS platform_update ON public.users;
DROP POLICY IF EXISTS platform_all ON public.sessions;
CREATE POLICY platform_all ON public.sessions FOR ALL TO desibazaar_platform USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS platform_all ON public.refresh_tokens;
CREATE POLICY platform_all ON public.refresh_tokens FOR ALL TO desibazaar_platform USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS platform_all ON public.auth_throttle;
CREATE POLICY platform_all ON public.auth_throttle FOR ALL TO desibazaar_platform USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON public.sessions, public.refresh_tokens, public.auth_throttle TO desibazaar_platform;
-- Registration inserts; nothing the platform role does updates a user.
GRANT SELECT, INSERT ON public.users TO desibazaar_platform;

-- Super admins see every user; never the sign-in secrets tables.
DROP POLICY IF EXISTS super_admin_all ON public.users;
CREATE POLICY super_admin_all ON public.users FOR ALL TO desibazaar_admin USING (true) WITH CHECK (true);
GRANT SELECT (id, email, name, is_super_admin, max_businesses, created_at, updated_at), UPDATE (is_super_admin, name, max_businesses, updated_at)
  ON public.users TO desibazaar_admin;
DROP POLICY IF EXISTS super_admin_all ON public.sessions;
CREATE POLICY super_admin_all ON public.sessions FOR SELECT TO desibazaar_admin USING (true);
GRANT SELECT (id, user_id, created_at, expires_at, revoked_at) ON public.sessions TO desibazaar_admin;

-- A customer sees and edits only itself.
DROP POLICY IF EXISTS customer_self ON public.users;
CREATE POLICY customer_self ON public.users FOR ALL TO desibazaar_customer
  USING (id = (SELECT app.current_user_id()))
  WITH CHECK (id = (SELECT app.current_user_id()));
GRANT SELECT (id, email, name, created_at), UPDATE (name, updated_at) ON public.users TO desibazaar_customer;

-- A business sees the users who are its members (business_access is itself tenant-filtered).
DROP POLICY IF EXISTS tenant_members ON public.users;
CREATE POLICY tenant_members ON public.users FOR SELECT TO desibazaar_app
  USING (EXISTS (SELECT 1 FROM public.business_access a WHERE a.user_id = users.id));
GRANT SELECT (id, email, name) ON public.users TO desibazaar_app;

-- The tenant registry. A business sees and renames only itself; status changes go
-- through the lifecycle service under the super-admin role.
DROP POLICY IF EXISTS tenant_self ON public.business_tenants;
CREATE POLICY tenant_self ON public.business_tenants FOR ALL TO desibazaar_app
  USING (id = (SELECT app.current_tenant_id()))
  WITH CHECK (id = (SELECT app.current_tenant_id()));
GRANT SELECT, INSERT ON public.business_tenants TO desibazaar_app;
GRANT UPDATE (name, updated_at) ON public.business_tenants TO desibazaar_app;

DROP POLICY IF EXISTS super_admin_all ON public.business_tenants;
CREATE POLICY super_admin_all ON public.business_tenants FOR ALL TO desibazaar_admin USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON public.business_tenants TO desibazaar_admin;

-- Customers and the public directory see businesses that are open for trade.
DROP POLICY IF EXISTS open_businesses ON public.business_tenants;
CREATE POLICY open_businesses ON public.business_tenants FOR SELECT TO desibazaar_customer, desibazaar_platform
  USING (status = 'active' AND deleted_at IS NULL);
GRANT SELECT (id, tenant_key, slug, name, industry_type, status, deleted_at)
  ON public.business_tenants TO desibazaar_customer, desibazaar_platform;

-- The plan catalogue is public reference data.
GRANT SELECT ON public.subscription_plans TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform;
GRANT INSERT, UPDATE ON public.subscription_plans TO desibazaar_admin;
