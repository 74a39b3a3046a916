-- Background jobs: who may touch pg-boss's tables, and the tenant boundary on them.
--
-- pg-boss (schema pgboss) is installed by src/jobs/install.ts as the owner before
-- this file runs; desibazaar_jobs (the queue's machinery: fetch, complete, retry,
-- expiry, cron) is created there too. Every job's data is an envelope
-- { tenantId, type, data, requestId }, and group_id (pg-boss's fairness group)
-- carries the same tenant id as text: the policies below compare the job's tenant
-- with the transaction's, read through app.current_tenant_id() only.
DO $$
BEGIN
  IF to_regclass('pgboss.job_common') IS NULL THEN
    RAISE EXCEPTION 'the pgboss schema is missing: prepareJobQueue (src/jobs/install.ts) must run before sql/030_jobs.sql';
  END IF;
END $$;

GRANT USAGE ON SCHEMA pgboss TO desibazaar_jobs, desibazaar_app, desibazaar_customer, desibazaar_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO desibazaar_jobs;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO desibazaar_jobs;

-- Senders: pg-boss's insert joins the queue's row, and a started pg-boss instance
-- (the API's sender) reads the schema version and the queue list.
GRANT SELECT ON pgboss.queue, pgboss.version TO desibazaar_app, desibazaar_customer, desibazaar_admin;
-- pg-boss inserts into the queue's own table (job_common); reads go through the parent.
GRANT SELECT, INSERT ON pgboss.job_common TO desibazaar_app, desibazaar_customer, desibazaar_admin;
GRANT SELECT ON pgboss.job TO desibazaar_app, desibazaar_admin;

-- Where the next job of a business goes in line (src/jobs/fair-priority.ts): the
-- priority of the first ready job of the whole queue. Tenant roles cannot see other
-- businesses' jobs, so this one number is read for them; it says nothing about any
-- one business.
CREATE OR REPLACE FUNCTION app.job_queue_head(p_queue text) RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pgboss, pg_temp
  AS $$
    SELECT j.priority FROM pgboss.job_common j
     WHERE j.name = p_queue AND j.state < 'active' AND NOT j.blocked AND j.start_after <= now()
     ORDER BY j.priority DESC, j.created_on
     LIMIT 1
  $$;
REVOKE ALL ON FUNCTION app.job_queue_head(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.job_queue_head(text) TO desibazaar_app, desibazaar_customer, desibazaar_admin;

-- A customer may queue a job for a business only about its own booking or order
-- there: the confirmation e-mail of what it just booked or ordered. Runs with the
-- customer's rights, so RLS on bookings/orders (customer_own, sql/007) limits the
-- reads to the customer's own rows; the context is not verified again here.
CREATE OR REPLACE FUNCTION app.customer_may_enqueue(p_job jsonb) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
    SELECT CASE
      WHEN p_job->>'tenantId' !~ '^[0-9]{1,18}$' THEN false
      WHEN p_job->>'type' = 'email.booking-confirmation' AND p_job->'data'->>'bookingId' ~ '^[0-9]{1,18}$' THEN EXISTS (
        SELECT 1 FROM public.bookings b
         WHERE b.business_id = (p_job->>'tenantId')::bigint AND b.id = (p_job->'data'->>'bookingId')::bigint)
      WHEN p_job->>'type' = 'email.order-confirmation' AND p_job->'data'->>'orderId' ~ '^[0-9]{1,18}$' THEN EXISTS (
        SELECT 1 FROM public.orders o
         WHERE o.business_id = (p_job->>'tenantId')::bigint AND o.id = (p_job->'data'->>'orderId')::bigint)
      ELSE false
    END
  $$;
REVOKE ALL ON FUNCTION app.customer_may_enqueue(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.customer_may_enqueue(jsonb) TO desibazaar_customer;

-- Forced RLS and the same policies on the job table and each of its partitions: a
-- statement naming a partition is checked against the partition's own policies.
DO $$
DECLARE
  t text;
  -- What any role but the machinery may insert: a fresh job in the tenant queue, in its
  -- business's fairness group, never ahead of where a fresh line starts (priority <= 0).
  fresh constant text := $e$name = 'tenant-jobs' AND state = 'created' AND priority <= 0 AND NOT blocked
                            AND group_id IS NOT NULL AND data->>'tenantId' = group_id$e$;
  own_tenant constant text := $e$group_id = ((SELECT app.current_tenant_id())::text)$e$;
BEGIN
  FOR t IN
    SELECT 'job' UNION ALL
    SELECT c.relname::text FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = 'pgboss' AND p.relname = 'job'
  LOOP
    EXECUTE format('ALTER TABLE pgboss.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE pgboss.%I FORCE ROW LEVEL SECURITY', t);

    EXECUTE format('DROP POLICY IF EXISTS jobs_machinery ON pgboss.%I', t);
    EXECUTE format('CREATE POLICY jobs_machinery ON pgboss.%I FOR ALL TO desibazaar_jobs USING (true) WITH CHECK (true)', t);

    EXECUTE format('DROP POLICY IF EXISTS tenant_read ON pgboss.%I', t);
    EXECUTE format($p$CREATE POLICY tenant_read ON pgboss.%I FOR SELECT TO desibazaar_app
                      USING (name IN ('tenant-jobs', 'tenant-jobs.dead') AND %s)$p$, t, own_tenant);
    EXECUTE format('DROP POLICY IF EXISTS tenant_enqueue ON pgboss.%I', t);
    EXECUTE format('CREATE POLICY tenant_enqueue ON pgboss.%I FOR INSERT TO desibazaar_app WITH CHECK (%s AND %s)', t, fresh, own_tenant);

    -- INSERT ... RETURNING needs the new row to pass a SELECT policy as well.
    EXECUTE format('DROP POLICY IF EXISTS customer_read ON pgboss.%I', t);
    EXECUTE format($p$CREATE POLICY customer_read ON pgboss.%I FOR SELECT TO desibazaar_customer
                      USING (name = 'tenant-jobs' AND app.customer_may_enqueue(data))$p$, t);
    EXECUTE format('DROP POLICY IF EXISTS customer_enqueue ON pgboss.%I', t);
    EXECUTE format('CREATE POLICY customer_enqueue ON pgboss.%I FOR INSERT TO desibazaar_customer WITH CHECK (%s AND app.customer_may_enqueue(data))', t, fresh);

    -- Super admins see every queue (depth per state and business) and fan platform work out to businesses.
    EXECUTE format('DROP POLICY IF EXISTS super_admin_read ON pgboss.%I', t);
    EXECUTE format('CREATE POLICY super_admin_read ON pgboss.%I FOR SELECT TO desibazaar_admin USING (true)', t);
    EXECUTE format('DROP POLICY IF EXISTS super_admin_enqueue ON pgboss.%I', t);
    EXECUTE format('CREATE POLICY super_admin_enqueue ON pgboss.%I FOR INSERT TO desibazaar_admin WITH CHECK (%s)', t, fresh);
  END LOOP;
END $$;

-- A business's queued jobs in line order (its place in the line when it sends the
-- next one) and its recent jobs (jobs.list), without scanning other businesses'.
CREATE INDEX IF NOT EXISTS job_common_tenant_queued ON pgboss.job_common (name, group_id, priority) WHERE state < 'active';
CREATE INDEX IF NOT EXISTS job_common_tenant_recent ON pgboss.job_common (group_id, created_on DESC) WHERE group_id IS NOT NULL;
