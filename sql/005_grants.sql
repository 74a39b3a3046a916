-- Schema access, sequences and helper functions. Nothing here grants ownership.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public, app TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform;
GRANT EXECUTE ON FUNCTION app.current_tenant_id(), app.current_user_id()
  TO desibazaar_app, desibazaar_customer, desibazaar_admin, desibazaar_platform;
GRANT EXECUTE ON FUNCTION app.tenant_id_for_key(text) TO desibazaar_app, desibazaar_customer, desibazaar_platform;
GRANT EXECUTE ON FUNCTION app.session_is_active(uuid, bigint) TO desibazaar_app, desibazaar_customer, desibazaar_admin;
GRANT EXECUTE ON FUNCTION app.memberships_of(bigint) TO desibazaar_platform;
