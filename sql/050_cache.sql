-- Request rate limits (src/tenancy/rate-policy.ts, src/tenancy/admission.ts); the
-- platform role reads a business's plan through app.effective_plan_id (sql/008).

-- Databases seeded with the first limits (60/300/1,200/6,000 a minute, counted per
-- process) move to the global ones; any other value is an operator's and is left alone.
-- (An operator who wants exactly one of those first values back sets it one higher or lower.)
UPDATE public.subscription_plans p
   SET requests_per_minute = v.now_allowed
  FROM (VALUES ('free', 60, 600), ('standard', 300, 3000), ('professional', 1200, 12000), ('enterprise', 6000, 60000))
       AS v(id, first_seeded, now_allowed)
 WHERE p.id = v.id AND p.requests_per_minute = v.first_seeded;
