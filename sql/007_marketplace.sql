-- Marketplace integrity and the customer mode.
--
-- Customers (desibazaar_customer) shop across businesses: they read what active
-- businesses offer and read/write only their own bookings, orders and customer
-- records. Stock moves only through app.take_stock, never by a direct UPDATE.

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
CREATE POLICY customer_own ON public.bookings FOR ALL TO desibazaar_customer
  USING (customer_user_id = (SELECT app.current_user_id()))
  WITH CHECK (customer_user_id = (SELECT app.current_user_id())
              AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = bookings.business_id));
GRANT SELECT, INSERT ON public.bookings TO desibazaar_customer;
GRANT UPDATE (status, updated_at) ON public.bookings TO desibazaar_customer;

DROP POLICY IF EXISTS customer_own ON public.orders;
CREATE POLICY customer_own ON public.orders FOR ALL TO desibazaar_customer
  USING (customer_user_id = (SELECT app.current_user_id()))
  WITH CHECK (customer_user_id = (SELECT app.current_user_id())
              AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = orders.business_id));
GRANT SELECT, INSERT ON public.orders TO desibazaar_customer;
GRANT UPDATE (total_cents, status, updated_at) ON public.orders TO desibazaar_customer;

DROP POLICY IF EXISTS customer_own ON public.order_items;
CREATE POLICY customer_own ON public.order_items FOR ALL TO desibazaar_customer
  USING (customer_user_id = (SELECT app.current_user_id()))
  WITH CHECK (customer_user_id = (SELECT app.current_user_id())
              AND EXISTS (SELECT 1 FROM public.orders o WHERE o.business_id = order_items.business_id AND o.id = order_items.order_id));
GRANT SELECT, INSERT ON public.order_items TO desibazaar_customer;

DROP POLICY IF EXISTS customer_own ON public.customers;
CREATE POLICY customer_own ON public.customers FOR ALL TO desibazaar_customer
  USING (user_id = (SELECT app.current_user_id()))
  WITH CHECK (user_id = (SELECT app.current_user_id())
              AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = customers.business_id));
GRANT SELECT, INSERT ON public.customers TO desibazaar_customer;
GRANT UPDATE (name, email, phone) ON public.customers TO desibazaar_customer;

-- Takes stock for an order line, atomically: the row lock serialises concurrent
-- orders and the re-checked `stock >= qty` means stock never goes negative. Also
-- writes the ledger entry. Returns the unit price; raises P0002 when the product is
-- not on sale and P0001 ('insufficient stock') when there is not enough.
CREATE OR REPLACE FUNCTION app.take_stock(p_business bigint, p_product bigint, p_quantity integer, p_order bigint)
  RETURNS TABLE (unit_price_cents integer, currency text, name text)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_user bigint := (SELECT app.current_user_id());
  v_found boolean;
BEGIN
  IF v_user IS NULL OR p_quantity IS NULL OR p_quantity <= 0 THEN
    RAISE EXCEPTION 'take_stock needs a customer context and a positive quantity' USING ERRCODE = '22023';
  END IF;
  -- The order must be the caller's own, in this business.
  PERFORM 1 FROM public.orders o WHERE o.business_id = p_business AND o.id = p_order AND o.customer_user_id = v_user;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'order % not found', p_order USING ERRCODE = 'P0002';
  END IF;
  SELECT true INTO v_found FROM public.products p
   JOIN public.business_tenants t ON t.id = p.business_id AND t.status = 'active' AND t.deleted_at IS NULL
   WHERE p.business_id = p_business AND p.id = p_product AND p.status = 'active' AND p.deleted_at IS NULL;
  IF v_found IS NULL THEN
    RAISE EXCEPTION 'product % not found', p_product USING ERRCODE = 'P0002';
  END IF;
  RETURN QUERY
    UPDATE public.products p SET stock = p.stock - p_quantity, updated_at = now()
     WHERE p.business_id = p_business AND p.id = p_product AND p.stock >= p_quantity
    RETURNING p.price_cents, p.currency, p.name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insufficient stock for product %', p_product USING ERRCODE = 'P0001';
  END IF;
  INSERT INTO public.inventory_movements (business_id, product_id, delta, reason, order_id, actor_user_id)
  VALUES (p_business, p_product, -p_quantity, 'order', p_order, v_user);
END $$;
REVOKE ALL ON FUNCTION app.take_stock(bigint, bigint, integer, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.take_stock(bigint, bigint, integer, bigint) TO desibazaar_customer;

-- Is this user a staff member (any role) of this business? For booking a named staff member.
CREATE OR REPLACE FUNCTION app.is_member_of(p_business bigint, p_user bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT EXISTS (SELECT 1 FROM public.business_access WHERE business_id = p_business AND user_id = p_user) $$;
REVOKE ALL ON FUNCTION app.is_member_of(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.is_member_of(bigint, bigint) TO desibazaar_customer;

-- A platform user's id by e-mail, for inviting an existing account as staff.
CREATE OR REPLACE FUNCTION app.user_id_for_email(p_email text) RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT id FROM public.users WHERE email = lower(trim(p_email)) $$;
REVOKE ALL ON FUNCTION app.user_id_for_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.user_id_for_email(text) TO desibazaar_app;

-- The public directory joins the listing with the business's open status.
GRANT EXECUTE ON FUNCTION app.tenant_id_for_key(text) TO desibazaar_customer;

-- Customer actions are audited in the business's log, with the customer as the actor.
DROP POLICY IF EXISTS customer_append ON public.audit_log;
CREATE POLICY customer_append ON public.audit_log FOR INSERT TO desibazaar_customer
  WITH CHECK (actor_user_id = (SELECT app.current_user_id())
              AND EXISTS (SELECT 1 FROM public.business_tenants t WHERE t.id = audit_log.business_id));
GRANT INSERT ON public.audit_log TO desibazaar_customer;
