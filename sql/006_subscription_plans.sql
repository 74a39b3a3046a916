-- The plan catalogue. Limits: NULL = unlimited. requests_per_minute is per business
-- (each member may use a fifth of it). Operators change it (admin.rateLimits.set,
-- `bun run tenant rate-limit`), so a later migration inserts it but never overwrites it.
INSERT INTO public.subscription_plans
  (id, name, monthly_price_cents, yearly_price_cents, currency, trial_days,
   max_products, max_staff_seats, max_bookings_per_month, storage_bytes, requests_per_minute)
VALUES
  ('free',         'Free',            0,      0, 'USD', 180,   25,    2,    100,    104857600,   600),
  ('standard',     'Standard',     1900,  19000, 'USD', 180,  500,   10,   2000,   5368709120,  3000),
  ('professional', 'Professional', 4900,  49000, 'USD', 180, 5000,   50,  20000,  53687091200, 12000),
  ('enterprise',   'Enterprise',  19900, 199000, 'USD', 180, NULL, NULL,   NULL, 536870912000, 60000)
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name, monthly_price_cents = EXCLUDED.monthly_price_cents,
  yearly_price_cents = EXCLUDED.yearly_price_cents, currency = EXCLUDED.currency,
  trial_days = EXCLUDED.trial_days, max_products = EXCLUDED.max_products,
  max_staff_seats = EXCLUDED.max_staff_seats, max_bookings_per_month = EXCLUDED.max_bookings_per_month,
  storage_bytes = EXCLUDED.storage_bytes;
