-- Helper functions. Those marked SECURITY DEFINER answer one narrow question
-- across tenants, so the tenant role can resolve its context without being able
-- to read the tables they look at.
CREATE SCHEMA IF NOT EXISTS app;

-- The tenant of the current transaction, or NULL. nullif matters: once a pooled
-- connection has used the setting, current_setting(..., true) returns '' (not NULL)
-- and a bare ::bigint cast would throw for every later context-less query.
CREATE OR REPLACE FUNCTION app.current_tenant_id() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.current_tenant_id', true), '')::bigint $$;

CREATE OR REPLACE FUNCTION app.current_user_id() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.current_user_id', true), '')::bigint $$;

-- tenantKey (uuid) or slug -> business id, whatever the status (callers check it).
-- plpgsql with one query per branch: a single SQL query with a CASE in its WHERE is
-- planned without the argument before PostgreSQL 18 and scans every tenant.
CREATE OR REPLACE FUNCTION app.tenant_id_for_key(p_key text) RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
BEGIN
  IF p_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RETURN (SELECT id FROM public.business_tenants WHERE tenant_key = p_key::uuid);
  END IF;
  RETURN (SELECT id FROM public.business_tenants WHERE slug = lower(p_key));
END $$;

-- Is this session of this user still valid? Lets a tenant request check its
-- token's session in the same round trip as its context.
CREATE OR REPLACE FUNCTION app.session_is_active(p_session uuid, p_user bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM public.sessions
       WHERE id = p_session AND user_id = p_user AND revoked_at IS NULL AND expires_at > now()
    )
  $$;

REVOKE ALL ON FUNCTION app.tenant_id_for_key(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app.session_is_active(uuid, bigint) FROM PUBLIC;

-- The businesses a user belongs to, for auth.me (the platform role cannot read business_access).
CREATE OR REPLACE FUNCTION app.memberships_of(p_user bigint)
  RETURNS TABLE (tenant_key uuid, slug text, name text, role member_role, status tenant_status)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
    SELECT t.tenant_key, t.slug, t.name, a.role, t.status
      FROM public.business_access a
      JOIN public.business_tenants t ON t.id = a.business_id
     WHERE a.user_id = p_user AND t.deleted_at IS NULL
  $$;
REVOKE ALL ON FUNCTION app.memberships_of(bigint) FROM PUBLIC;
