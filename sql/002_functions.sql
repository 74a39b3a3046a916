-- Helper functions. Those marked SECURITY DEFINER answer one narrow question
-- across tenants, so the tenant role can resolve its context without being able
-- to read the tables they look at. Every SECURITY DEFINER function pins
-- search_path with pg_temp last and names tables schema-qualified, so no object
-- a caller could create would be found in place of ours.
CREATE SCHEMA IF NOT EXISTS app;

-- Owner-only: the context signing key and generated login-role passwords. No login
-- role has USAGE on this schema; only SECURITY DEFINER functions read it.
CREATE SCHEMA IF NOT EXISTS app_private;
REVOKE ALL ON SCHEMA app_private FROM PUBLIC;
CREATE TABLE IF NOT EXISTS app_private.context_key (
  id integer PRIMARY KEY CHECK (id = 1),
  inner_pad bytea NOT NULL CHECK (length(inner_pad) = 64),
  outer_pad bytea NOT NULL CHECK (length(outer_pad) = 64),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS app_private.secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON ALL TABLES IN SCHEMA app_private FROM PUBLIC;

-- The transaction's tenant and user, verified: the ids in `app.context`
-- (v1.role.tenant.user.expires.hmac, src/lib/context-signature.ts) when its HMAC
-- matches the key, it was signed for the role this session logged in as, and it
-- has not expired at the transaction's start; no row on any mismatch (callers
-- read it as `(SELECT ...)`, which makes that NULL). Setting
-- app.context (or any other setting) by hand therefore grants nothing.
--
-- One SQL query, inlined into each caller below, because the check runs in every
-- statement a policy guards: each plpgsql statement costs a fresh setup in every
-- transaction, and the earlier multi-statement version took about twice as long
-- per transaction. The fields are read only once the HMAC matched, so they are
-- the app's own (digits where a number belongs) and the casts cannot fail.
CREATE OR REPLACE FUNCTION app_private.verified_ids() RETURNS TABLE (tenant_id bigint, user_id bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT CASE WHEN v.ok THEN nullif(pg_catalog.split_part(c.raw, '.', 3), '')::bigint END,
         CASE WHEN v.ok THEN nullif(pg_catalog.split_part(c.raw, '.', 4), '')::bigint END
    FROM (SELECT pg_catalog.current_setting('app.context', true) AS raw) c,
         app_private.context_key k,
         LATERAL (SELECT CASE
                           WHEN pg_catalog.substr(c.raw, pg_catalog.length(c.raw) - 64, 1) = '.'
                            AND pg_catalog.encode(pg_catalog.sha256(k.outer_pad || pg_catalog.sha256(k.inner_pad
                                  || pg_catalog.convert_to(pg_catalog.left(c.raw, -65), 'UTF8'))), 'hex') = pg_catalog.right(c.raw, 64)
                           THEN pg_catalog.split_part(c.raw, '.', 1) = 'v1'
                            AND pg_catalog.split_part(c.raw, '.', 2) = session_user::text
                            AND pg_catalog.split_part(c.raw, '.', 5)::bigint >= extract(epoch FROM pg_catalog.now())
                           ELSE false
                         END AS ok) v
   WHERE k.id = 1 AND pg_catalog.length(c.raw) BETWEEN 66 AND 400
$$;
REVOKE ALL ON FUNCTION app_private.verified_ids() FROM PUBLIC;

-- The tenant and the user of the current transaction, or NULL. Policies call them
-- as `(SELECT app.current_tenant_id())`: an initplan, evaluated once per statement.
CREATE OR REPLACE FUNCTION app.current_tenant_id() RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  RETURN (SELECT v.tenant_id FROM app_private.verified_ids() v);
END $$;

CREATE OR REPLACE FUNCTION app.current_user_id() RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  RETURN (SELECT v.user_id FROM app_private.verified_ids() v);
END $$;

-- Whether a member's permission list grants p_permission ('*' grants every one).
-- Owners hold every permission whatever their list says; callers check the role
-- first. The one rule for tenant requests (app.tenant_request_access, sql/010) and
-- app.user_id_for_email (sql/007).
CREATE OR REPLACE FUNCTION app_private.grants(p_permissions text[], p_permission text) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT '*' = ANY (p_permissions) OR p_permission = ANY (p_permissions) $$;
REVOKE ALL ON FUNCTION app_private.grants(text[], text) FROM PUBLIC;

-- tenantKey (uuid) or slug -> business id, whatever the status (callers check it).
-- plpgsql with one query per branch: a single SQL query with a CASE in its WHERE is
-- planned without the argument before PostgreSQL 18 and scans every tenant.
CREATE OR REPLACE FUNCTION app.tenant_id_for_key(p_key text) RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
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
  SET search_path = pg_catalog, pg_temp
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
  RETURNS TABLE (tenant_key uuid, slug text, name text, role public.member_role, status public.tenant_status)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT t.tenant_key, t.slug, t.name, a.role, t.status
      FROM public.business_access a
      JOIN public.business_tenants t ON t.id = a.business_id
     WHERE a.user_id = p_user AND t.deleted_at IS NULL
  $$;
REVOKE ALL ON FUNCTION app.memberships_of(bigint) FROM PUBLIC;
