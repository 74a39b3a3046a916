-- The access check of a tenant request, as one statement that FAILS when access is
-- refused. A read-only request's own query is sent right behind it, in the same
-- round trip (src/tenancy/scopes.ts); a failed statement aborts the transaction,
-- so the database itself makes sure a refused request reads nothing.
--
-- The business and the user are the signed context's, verified once here
-- (app_private.verified_ids): a definer reads that business's row and that user's
-- membership and nothing else. Run with the caller's rights, every read would go
-- through the tenant policies and verify the context again; this way a tenant
-- request verifies it twice in all (here, and in the procedure's own query). The
-- caller's p_user must be the context's user.
--
-- p_permission: a permission the caller's role must hold (owners hold all, others
-- as app_private.grants in sql/002 says); p_owner_only: the business's owner only.
-- SQLSTATEs (src/tenancy/tenant-request.ts turns them into the contract's codes):
-- TA401 session ended, TA404 no such open business, TA403 not a member, suspended,
-- or not allowed.
CREATE OR REPLACE FUNCTION app.tenant_request_access(p_session uuid, p_user bigint, p_permission text, p_owner_only boolean)
  RETURNS TABLE (tenant_key uuid, slug text, status public.tenant_status, role public.member_role, permissions text[])
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenant bigint;
  v_user bigint;
  v_key uuid;
  v_slug text;
  v_status public.tenant_status;
  v_deleted timestamptz;
  v_role public.member_role;
  v_permissions text[];
BEGIN
  SELECT v.tenant_id, v.user_id INTO v_tenant, v_user FROM app_private.verified_ids() v;
  IF v_user IS DISTINCT FROM p_user OR NOT app.session_is_active(p_session, p_user) THEN
    RAISE EXCEPTION 'Your session has ended; sign in again' USING ERRCODE = 'TA401';
  END IF;
  SELECT t.tenant_key, t.slug, t.status, t.deleted_at INTO v_key, v_slug, v_status, v_deleted
    FROM public.business_tenants t WHERE t.id = v_tenant;
  IF v_key IS NULL OR v_deleted IS NOT NULL OR v_status = 'closed' THEN
    RAISE EXCEPTION 'Business not found' USING ERRCODE = 'TA404';
  END IF;
  SELECT a.role, a.permissions INTO v_role, v_permissions
    FROM public.business_access a WHERE a.business_id = v_tenant AND a.user_id = p_user;
  IF v_role IS NULL THEN
    RAISE EXCEPTION 'You are not a member of this business' USING ERRCODE = 'TA403';
  END IF;
  IF v_status = 'suspended' THEN
    RAISE EXCEPTION 'This business is suspended' USING ERRCODE = 'TA403';
  END IF;
  IF p_owner_only AND v_role <> 'owner' THEN
    RAISE EXCEPTION 'Only the business owner may do this' USING ERRCODE = 'TA403';
  END IF;
  IF p_permission IS NOT NULL AND v_role <> 'owner' AND NOT app_private.grants(v_permissions, p_permission) THEN
    RAISE EXCEPTION 'Your role (%) lacks the % permission', v_role, p_permission USING ERRCODE = 'TA403';
  END IF;
  RETURN QUERY SELECT v_key, v_slug, v_status, v_role, v_permissions;
END $$;
REVOKE ALL ON FUNCTION app.tenant_request_access(uuid, bigint, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.tenant_request_access(uuid, bigint, text, boolean) TO desibazaar_app;
