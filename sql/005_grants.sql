-- Schema access, sequences and helper functions. Nothing here grants ownership.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public, app TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform;
GRANT EXECUTE ON FUNCTION app.current_tenant_id(), app.current_user_id()
  TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform;
GRANT EXECUTE ON FUNCTION app.tenant_id_for_key(text) TO desibazaar_app, desibazaar_customer, desibazaar_platform;
GRANT EXECUTE ON FUNCTION app.session_is_active(uuid, bigint) TO desibazaar_app, desibazaar_customer, desibazaar_admin;
GRANT EXECUTE ON FUNCTION app.memberships_of(bigint) TO desibazaar_platform;

-- Only this database's login roles may connect, and nobody the app logs in as may
-- create temporary objects: a temp table named like one of ours would shadow it for
-- every unqualified name on that connection (pg_temp is searched first by default).
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform, desibazaar_jobs',
                 current_database());
END $$;
