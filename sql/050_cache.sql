-- Request rate limits (src/tenancy/rate-policy.ts, src/tenancy/admission.ts).

-- The limit is decided before a tenant's transaction opens: on a cache miss the
-- platform role, which already resolves tenant refs (app.tenant_id_for_key) and
-- reads the plan catalogue, also asks which plan's limits apply to a business now.
-- Only the platform role: it has no tenant context to check the id against, and the
-- platform role serves sign-in and tenant resolution only, never a client's SQL.
GRANT EXECUTE ON FUNCTION app.effective_plan_id(bigint, timestamptz) TO desibazaar_platform;

-- Databases seeded with the first limits (60/300/1,200/6,000 a minute, counted per
-- process) move to the global ones; any other value is an operator's and is left alone.
-- (An operator who wants exactly one of those first values back sets it one higher or lower.)
UPDATE public.subscription_plans p
   SET requests_per_minute = v.now_allowed
  FROM (VALUES ('free', 60, 600), ('standard', 300, 3000), ('professional', 1200, 12000), ('enterprise', 6000, 60000))
       AS v(id, first_seeded, now_allowed)
 WHERE p.id = v.id AND p.requests_per_minute = v.first_seeded;
