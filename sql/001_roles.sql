-- Login roles the application connects as. None is superuser, none bypasses RLS,
-- none owns anything: every table belongs to the migration owner.
--   desibazaar_app       tenant context: rows of the one business in the signed context
--   desibazaar_customer  customer context: the caller's own rows across businesses
--   desibazaar_admin     super admin: a separate role and pool, so no setting a tenant
--                        connection can write ever widens what it sees
--   desibazaar_platform  work before any context: sign-in, tenant resolution, the public directory
--   desibazaar_jobs      the job queue's machinery (fetch, complete, retry, cron): pgboss tables only (sql/030)
-- The names are placeholders: the migrator (src/db/roles.ts) substitutes this
-- database's own role names, so two databases on one server never share a role.
-- Each role may connect to its own database only (sql/005_grants.sql).
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['desibazaar_app', 'desibazaar_customer', 'desibazaar_admin', 'desibazaar_platform', 'desibazaar_jobs'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I LOGIN', r);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- created already, possibly by a concurrent migration
    END;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT', r);
  END LOOP;
END $$;
