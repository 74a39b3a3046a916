-- Marketplace integrity and the customer mode.
--
-- Customers (desibazaar_customer) shop across businesses: they read what active
-- businesses offer and read only their own bookings, orders and customer records.
-- What they may write is exactly what the customer procedures write, checked by
-- the database: a booking at the service's price, pending; an empty pending order
-- whose lines and total only app.take_stock adds (stock, price and total move
-- together, never by a direct UPDATE); a cancellation; audit rows for what they
-- just did. Raw SQL on the customer connection can do no more than the API.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- No two live bookings of one staff member overlap (half-open ranges: back-to-back is fine).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'bookings_no_staff_overlap') THEN
    ALTER TABLE public.bookings ADD CONSTRAINT bookings_no_staff_overlap
      EXCLUDE USING gist (business_id WITH =, staff_user_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
      WHERE (staff_user_id IS NOT NULL AND status IN ('pending', 'confirmed'));
  END IF;
END $$;

-- What customers may see of a business: its active catalogue and services.
DROP POLICY IF EXISTS customer_browse ON public.products;
CREATE POLICY customer_browse ON public.products FOR SELECT TO desibazaar_customer
  USING (status = 'active' AND deleted_at IS NULL AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = products.business_id));
GRANT SELECT ON public.products TO desibazaar_customer;

DROP POLICY IF EXISTS customer_browse ON public.services;
CREATE POLICY customer_browse ON public.services FOR SELECT TO desibazaar_customer
  USING (active AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = services.business_id));
GRANT SELECT ON public.services TO desibazaar_customer;

DROP POLICY IF EXISTS customer_browse ON public.categories;
CREATE POLICY customer_browse ON public.categories FOR SELECT TO desibazaar_customer
  USING (EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = categories.business_id));
GRANT SELECT ON public.categories TO desibazaar_customer;

-- The customer's own rows. New rows must name an open business (business_tenants is
-- filtered to active businesses for this role, so the EXISTS fails for any other).
DROP POLICY IF EXISTS customer_own ON public.bookings;
CREATE POLICY customer_own ON public.bookings FOR SELECT TO desibazaar_customer
  USING (customer_user_id = (SELECT app.current_user_id()));
-- A new booking is pending, at the service's current price, lasting the service's duration.
DROP POLICY IF EXISTS customer_book ON public.bookings;
CREATE POLICY customer_book ON public.bookings FOR INSERT TO desibazaar_customer
  WITH CHECK (customer_user_id = (SELECT app.current_user_id()) AND status = 'pending'
              AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = bookings.business_id)
              AND EXISTS (SELECT 1 FROM public.services s
                           WHERE s.business_id = bookings.business_id AND s.id = bookings.service_id AND s.active
                             AND s.price_cents = bookings.price_cents AND s.currency = bookings.currency
                             AND bookings.ends_at = bookings.starts_at + make_interval(mins => s.duration_minutes)));
-- A customer may only cancel a booking that is still pending or confirmed. USING checks
-- whose booking it is; the new row keeps that customer (only status and updated_at
-- may change, below), so WITH CHECK need not verify the context again.
DROP POLICY IF EXISTS customer_cancel ON public.bookings;
CREATE POLICY customer_cancel ON public.bookings FOR UPDATE TO desibazaar_customer
  USING (customer_user_id = (SELECT app.current_user_id()) AND status IN ('pending', 'confirmed'))
  WITH CHECK (status = 'cancelled');
REVOKE ALL ON public.bookings FROM desibazaar_customer;
GRANT SELECT, INSERT ON public.bookings TO desibazaar_customer;
GRANT UPDATE (status, updated_at) ON public.bookings TO desibazaar_customer;

DROP POLICY IF EXISTS customer_own ON public.orders;
CREATE POLICY customer_own ON public.orders FOR SELECT TO desibazaar_customer
  USING (customer_user_id = (SELECT app.current_user_id()));
-- An order starts empty and pending; app.take_stock adds its lines and its total.
DROP POLICY IF EXISTS customer_order ON public.orders;
CREATE POLICY customer_order ON public.orders FOR INSERT TO desibazaar_customer
  WITH CHECK (customer_user_id = (SELECT app.current_user_id()) AND status = 'pending' AND total_cents = 0
              AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = orders.business_id));
REVOKE ALL ON public.orders FROM desibazaar_customer;
GRANT SELECT, INSERT ON public.orders TO desibazaar_customer;

DROP POLICY IF EXISTS customer_own ON public.order_items;
CREATE POLICY customer_own ON public.order_items FOR SELECT TO desibazaar_customer
  USING (customer_user_id = (SELECT app.current_user_id()));
REVOKE ALL ON public.order_items FROM desibazaar_customer;
GRANT SELECT ON public.order_items TO desibazaar_customer;

DROP POLICY IF EXISTS customer_own ON public.customers;
CREATE POLICY customer_own ON public.customers FOR ALL TO desibazaar_customer
  USING (user_id = (SELECT app.current_user_id()))
  WITH CHECK (user_id = (SELECT app.current_user_id())
              AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = customers.business_id));
REVOKE ALL ON public.customers FROM desibazaar_customer;
GRANT SELECT, INSERT ON public.customers TO desibazaar_customer;
GRANT UPDATE (name, email, phone) ON public.customers TO desibazaar_customer;

-- Adds one line to the caller's own pending order, atomically: takes the stock (the
-- row lock serialises concurrent orders and the re-checked `stock >= qty` means stock
-- never goes negative), writes the ledger entry and the order line at the product's
-- price, and adds the line to the order's total. Returns the unit price.
-- SQLSTATEs: P0002 product (or order) not found, P0001 insufficient stock,
-- P0008 the order's total would pass what one order can hold.
CREATE OR REPLACE FUNCTION app.take_stock(p_business bigint, p_product bigint, p_quantity integer, p_order bigint)
  RETURNS TABLE (unit_price_cents integer, currency text, name text)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_user bigint := app.current_user_id();
  v_found boolean;
  v_price integer;
  v_currency text;
  v_name text;
BEGIN
  IF v_user IS NULL OR p_quantity IS NULL OR p_quantity <= 0 THEN
    RAISE EXCEPTION 'take_stock needs a customer context and a positive quantity' USING ERRCODE = '22023';
  END IF;
  -- The order must be the caller's own, pending, in this business.
  PERFORM 1 FROM public.orders o
   WHERE o.business_id = p_business AND o.id = p_order AND o.customer_user_id = v_user AND o.status = 'pending'
     FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'order % not found', p_order USING ERRCODE = 'P0002';
  END IF;
  SELECT true INTO v_found FROM public.products p
   JOIN public.business_tenants t ON t.id = p.business_id AND t.status = 'active' AND t.deleted_at IS NULL
   WHERE p.business_id = p_business AND p.id = p_product AND p.status = 'active' AND p.deleted_at IS NULL;
  IF v_found IS NULL THEN
    RAISE EXCEPTION 'product % not found', p_product USING ERRCODE = 'P0002';
  END IF;
  UPDATE public.products p SET stock = p.stock - p_quantity, updated_at = now()
   WHERE p.business_id = p_business AND p.id = p_product AND p.stock >= p_quantity
  RETURNING p.price_cents, p.currency, p.name INTO v_price, v_currency, v_name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insufficient stock for product %', p_product USING ERRCODE = 'P0001';
  END IF;
  INSERT INTO public.inventory_movements (business_id, product_id, delta, reason, order_id, actor_user_id)
  VALUES (p_business, p_product, -p_quantity, 'order', p_order, v_user);
  INSERT INTO public.order_items (business_id, order_id, product_id, customer_user_id, quantity, unit_price_cents)
  VALUES (p_business, p_order, p_product, v_user, p_quantity, v_price);
  UPDATE public.orders o SET total_cents = o.total_cents + v_price::bigint * p_quantity, updated_at = now()
   WHERE o.business_id = p_business AND o.id = p_order AND o.total_cents + v_price::bigint * p_quantity <= 2147483647;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'order % total too large', p_order USING ERRCODE = 'P0008';
  END IF;
  RETURN QUERY SELECT v_price, v_currency, v_name;
END $$;
REVOKE ALL ON FUNCTION app.take_stock(bigint, bigint, integer, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.take_stock(bigint, bigint, integer, bigint) TO desibazaar_customer;

-- Is this user a staff member (any role) of this open business? For booking a named staff member.
-- It answers only a signed-in customer (a verified context naming a user): a connection
-- without one, whatever it sends, learns nothing about who works where.
CREATE OR REPLACE FUNCTION app.is_member_of(p_business bigint, p_user bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT (SELECT app.current_user_id()) IS NOT NULL
       AND EXISTS (SELECT 1 FROM public.business_access a
                     JOIN public.business_tenants t ON t.id = a.business_id AND t.status = 'active' AND t.deleted_at IS NULL
                    WHERE a.business_id = p_business AND a.user_id = p_user)
  $$;
REVOKE ALL ON FUNCTION app.is_member_of(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.is_member_of(bigint, bigint) TO desibazaar_customer;

-- A platform user's id by e-mail, for inviting an existing account as staff. It answers
-- only inside a tenant context whose signed-in user may manage that business's
-- members (the members:write rule of tenant requests, sql/010), so it cannot be used
-- to test which addresses have accounts. The context is verified once (verified_ids).
CREATE OR REPLACE FUNCTION app.user_id_for_email(p_email text) RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT u.id FROM public.users u
     WHERE u.email = lower(trim(p_email))
       AND EXISTS (SELECT 1 FROM app_private.verified_ids() v
                     JOIN public.business_access a ON a.business_id = v.tenant_id AND a.user_id = v.user_id
                    WHERE a.role = 'owner' OR app_private.grants(a.permissions, 'members:write'))
  $$;
REVOKE ALL ON FUNCTION app.user_id_for_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.user_id_for_email(text) TO desibazaar_app;

-- The public directory joins the listing with the business's open status.
GRANT EXECUTE ON FUNCTION app.tenant_id_for_key(text) TO desibazaar_customer;

-- Customer actions are audited in the business's log, with the customer as the actor,
-- and only for a booking or an order the customer made in this very transaction.
DROP POLICY IF EXISTS customer_append ON public.audit_log;
-- The actor is the verified user, so the booking or order is compared with the actor
-- rather than verifying the context again (the customer_own policies on bookings and
-- orders also apply to these reads).
CREATE POLICY customer_append ON public.audit_log FOR INSERT TO desibazaar_customer
  WITH CHECK (actor_user_id = (SELECT app.current_user_id())
              AND ((entity_type = 'booking' AND EXISTS (
                     SELECT 1 FROM public.bookings b
                      WHERE b.business_id = audit_log.business_id AND b.id::text = audit_log.entity_id
                        AND b.customer_user_id = audit_log.actor_user_id AND b.created_at = now()))
                OR (entity_type = 'order' AND EXISTS (
                     SELECT 1 FROM public.orders o
                      WHERE o.business_id = audit_log.business_id AND o.id::text = audit_log.entity_id
                        AND o.customer_user_id = audit_log.actor_user_id AND o.created_at = now()))));
GRANT INSERT ON public.audit_log TO desibazaar_customer;

-- What one customer may hold open with one business, and how far ahead it may book,
-- checked on every new booking and order whoever inserts it. A per-customer advisory
-- lock makes the count exact under concurrent requests. Then the booking is counted
-- against the business's monthly plan allowance (sql/008).
-- SQLSTATEs: P0005 beyond the booking horizon, P0006 too many open bookings,
-- P0007 too many unpaid orders, P0003 the plan's monthly allowance is used up.
CREATE OR REPLACE FUNCTION app_private.check_new_booking() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_horizon integer;
  v_cap integer;
  v_open integer;
BEGIN
  SELECT s.booking_horizon_days, s.max_open_bookings_per_customer INTO v_horizon, v_cap
    FROM public.business_settings s WHERE s.business_id = NEW.business_id;
  IF NEW.starts_at > now() + make_interval(days => coalesce(v_horizon, 365)) THEN
    RAISE EXCEPTION 'bookings open % days ahead', coalesce(v_horizon, 365) USING ERRCODE = 'P0005';
  END IF;
  IF NEW.status IN ('pending', 'confirmed') THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('open-bookings:' || NEW.business_id || ':' || NEW.customer_user_id, 0));
    SELECT count(*) INTO v_open FROM public.bookings b
     WHERE b.business_id = NEW.business_id AND b.customer_user_id = NEW.customer_user_id
       AND b.status IN ('pending', 'confirmed') AND b.ends_at > now();
    IF v_open >= coalesce(v_cap, 10) THEN
      RAISE EXCEPTION 'at most % open bookings per customer', coalesce(v_cap, 10) USING ERRCODE = 'P0006';
    END IF;
  END IF;
  PERFORM app_private.consume_monthly_quota(NEW.business_id, 'bookings', now());
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION app_private.check_new_booking() FROM PUBLIC;
DROP TRIGGER IF EXISTS check_new_booking ON public.bookings;
CREATE TRIGGER check_new_booking BEFORE INSERT ON public.bookings FOR EACH ROW EXECUTE FUNCTION app_private.check_new_booking();

CREATE OR REPLACE FUNCTION app_private.check_new_order() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_cap integer;
  v_pending integer;
BEGIN
  IF NEW.status <> 'pending' THEN
    RETURN NEW;
  END IF;
  SELECT s.max_pending_orders_per_customer INTO v_cap FROM public.business_settings s WHERE s.business_id = NEW.business_id;
  PERFORM pg_advisory_xact_lock(hashtextextended('pending-orders:' || NEW.business_id || ':' || NEW.customer_user_id, 0));
  SELECT count(*) INTO v_pending FROM public.orders o
   WHERE o.business_id = NEW.business_id AND o.customer_user_id = NEW.customer_user_id AND o.status = 'pending';
  IF v_pending >= coalesce(v_cap, 5) THEN
    RAISE EXCEPTION 'at most % unpaid orders per customer', coalesce(v_cap, 5) USING ERRCODE = 'P0007';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION app_private.check_new_order() FROM PUBLIC;
DROP TRIGGER IF EXISTS check_new_order ON public.orders;
CREATE TRIGGER check_new_order BEFORE INSERT ON public.orders FOR EACH ROW EXECUTE FUNCTION app_private.check_new_order();
