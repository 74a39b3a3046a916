/**
 * Deliberate bugs the suite must notice (`bun run test:mutants`, test/mutants/run.ts).
 *
 * Each mutant is one exact search/replace in one file: `search` must occur in that
 * file exactly once, or the runner stops and names the mutant as STALE. When the
 * code moves, update `search` (and `replace`) to plant the same bug in the new
 * code; never delete a mutant because it no longer applies. `tests` are the test
 * files that must fail with the bug in place (run with `bun run test <files>` in
 * a scratch copy of the tree); if a mutant is MISSED, the suite has a gap: write
 * the test that bites, and add its file here.
 *
 * Keep `search` short and distinctive (one line where possible): the less it
 * spans, the less unrelated edits make it stale.
 */
export interface Mutant {
  /** kebab-case id; `bun run test:mutants <part of a name>` runs only the matching ones. */
  name: string;
  /** The bug, in a sentence: what a careless change would do. */
  bug: string;
  /** Path from the repository root. */
  file: string;
  search: string;
  replace: string;
  /** Test files (from the repository root) that must fail with the bug in place. */
  tests: string[];
}

const ISOLATION = "test/isolation";

export const MUTANTS: Mutant[] = [
  {
    name: "forced-rls-dropped",
    bug: "tenant tables get RLS enabled but not FORCEd, so the table owner bypasses it",
    file: "sql/003_tenant_tables.sql",
    search: "    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t.relname);\n",
    replace: "",
    tests: [`${ISOLATION}/catalog.test.ts`],
  },
  {
    name: "tenant-policy-opened",
    bug: "the tenant policy on products is opened to `true`: every business reads and writes every product",
    file: "sql/003_tenant_tables.sql",
    search: "-- The audit log is append-only for everyone the application logs in as.\n",
    replace:
      "ALTER POLICY tenant_isolation ON public.products USING (true) WITH CHECK (true);\n" +
      "-- The audit log is append-only for everyone the application logs in as.\n",
    tests: [`${ISOLATION}/catalog.test.ts`, `${ISOLATION}/matrix.test.ts`],
  },
  {
    name: "context-session-wide",
    bug: "every signed context (tenant, customer, admin, tenant requests) is set for the session, not the transaction",
    file: "src/tenancy/db-context.ts",
    search: "${signed(kind, tenantId, userId) as never}, true)",
    replace: "${signed(kind, tenantId, userId) as never}, false)",
    tests: [`${ISOLATION}/roles.test.ts`, `${ISOLATION}/context-left-behind.test.ts`],
  },
  {
    name: "context-session-wide-tenant-request",
    bug: "only the tenant-request path (every tenantProcedure request) sets its context for the session",
    file: "src/tenancy/scopes.ts",
    // The tenant-request path shares tenantTransaction with asTenant: the bug re-sets its signed context for the session.
    search: "        const access = readTenantAccess(conn, businessId, request);\n",
    replace:
      "        await conn.unsafe(\"select set_config('app.context', current_setting('app.context'), false)\");\n" +
      "        const access = readTenantAccess(conn, businessId, request);\n",
    tests: [`${ISOLATION}/context-left-behind.test.ts`],
  },
  {
    name: "context-session-wide-customer",
    bug: "only asCustomer sets its context for the session",
    file: "src/tenancy/db-context.ts",
    search: '    customer: (userId: number) => statement("customer", undefined, userId),\n',
    replace:
      '    customer: (userId: number): ContextStatement => (conn) =>\n' +
      "      (conn as any).unsafe(\"select set_config('app.context', $1, false)\", [signed(\"customer\", undefined, userId)]),\n",
    tests: [`${ISOLATION}/context-left-behind.test.ts`],
  },
  {
    name: "context-session-wide-admin",
    bug: "only asSuperAdmin sets its context for the session",
    file: "src/tenancy/db-context.ts",
    search: '    admin: (userId?: number) => statement("admin", undefined, userId),\n',
    replace:
      '    admin: (userId?: number): ContextStatement => (conn) =>\n' +
      "      (conn as any).unsafe(\"select set_config('app.context', $1, false)\", [signed(\"admin\", undefined, userId)]),\n",
    tests: [`${ISOLATION}/context-left-behind.test.ts`],
  },
  {
    name: "read-only-transaction-left-open",
    bug: "a read-only transaction is handed back to the pool without COMMIT: the next user runs inside it, context included",
    file: "src/tenancy/transaction.ts",
    search: '      .unsafe("commit")\n      .execute()\n',
    replace: '      .unsafe("select 1")\n      .execute()\n',
    tests: [`${ISOLATION}/roles.test.ts`, `${ISOLATION}/context-left-behind.test.ts`],
  },
  {
    name: "membership-check-skipped",
    bug: "a tenant request no longer checks that the caller is a member of the business",
    file: "sql/010_tenant_requests.sql",
    search: "  IF v_role IS NULL THEN\n    RAISE EXCEPTION 'You are not a member of this business' USING ERRCODE = 'TA403';\n  END IF;\n",
    replace: "",
    // tenants.test.ts has no non-member case; the matrix's "signed-in non-member → FORBIDDEN" is what bites.
    tests: ["test/routers/tenants.test.ts", "test/routers/tenants.security.test.ts"],
  },
  {
    name: "permission-check-skipped",
    bug: "tenantProcedureWith(permission) no longer checks the permission",
    file: "sql/010_tenant_requests.sql",
    search: "  IF p_permission IS NOT NULL AND v_role <> 'owner'",
    replace: "  IF false AND v_role <> 'owner'",
    tests: ["test/routers/products.security.test.ts"],
  },
  {
    name: "revoked-sessions-accepted",
    bug: "app.session_is_active (tenant, customer and admin requests) accepts revoked sessions",
    file: "sql/002_functions.sql",
    search: "AND user_id = p_user AND revoked_at IS NULL AND",
    replace: "AND user_id = p_user AND",
    tests: ["test/routers/customer.security.test.ts"],
  },
  {
    name: "revoked-sessions-accepted-signed-in",
    bug: "the session check of signed-in (authed) procedures accepts revoked sessions",
    file: "src/tenancy/principal-checks.ts",
    search: "       and s.revoked_at is null and s.expires_at > now()",
    replace: "       and s.expires_at > now()",
    tests: ["test/auth/me-logout.test.ts"],
  },
  {
    name: "stock-race",
    bug: "app.take_stock no longer re-checks `stock >= qty` under the row lock",
    file: "sql/007_marketplace.sql",
    search: " AND p.stock >= p_quantity\n",
    replace: "\n",
    tests: ["test/marketplace/orders.test.ts"],
  },
  {
    name: "double-booking",
    bug: "the exclusion constraint against overlapping bookings of one staff member is not created",
    file: "sql/007_marketplace.sql",
    search: "    ALTER TABLE public.bookings ADD CONSTRAINT bookings_no_staff_overlap\n",
    replace: "    RETURN;\n    ALTER TABLE public.bookings ADD CONSTRAINT bookings_no_staff_overlap\n",
    tests: ["test/marketplace/bookings.test.ts"],
  },
  {
    name: "login-throttle-off",
    bug: "sign-in and registration attempts are counted but never refused",
    file: "src/services/auth/throttle.ts",
    search: "  if (lockedUntil) {\n",
    replace: "  if (lockedUntil && false) {\n",
    tests: ["test/auth/throttle.test.ts"],
  },
  {
    name: "purge-leaves-rows",
    bug: "a tenant table (audit_log) loses its cascading foreign key, so purge would leave its rows",
    file: "sql/009_lifecycle.sql",
    search: "-- Tenant lifecycle and provisioning.\n",
    replace: "-- Tenant lifecycle and provisioning.\nALTER TABLE public.audit_log DROP CONSTRAINT IF EXISTS audit_log_business_id_business_tenants_id_fk;\n",
    tests: ["test/lifecycle/purge.test.ts"],
  },
  {
    name: "purge-final-check-removed",
    bug: "purge no longer checks that nothing of the business remains before it commits",
    file: "src/services/lifecycle/purge.ts",
    search: "  if (Object.keys(left).length) throw",
    replace: "  if (false) throw",
    tests: ["test/lifecycle/purge-leftovers.test.ts"],
  },
  {
    name: "redaction-removed",
    bug: "the logger redacts nothing",
    file: "src/lib/logger.ts",
    search: '    redact: { paths: redactPaths, censor: "[redacted]" },\n',
    replace: "",
    tests: ["test/logs/redaction.test.ts"],
  },
  {
    name: "customer-orders-policy-widened",
    bug: "the customer policy on orders shows every order of any business the customer has bought from",
    file: "sql/007_marketplace.sql",
    search:
      "CREATE POLICY customer_own ON public.orders FOR SELECT TO desibazaar_customer\n" +
      "  USING (customer_user_id = (SELECT app.current_user_id()));\n",
    replace:
      "CREATE POLICY customer_own ON public.orders FOR SELECT TO desibazaar_customer\n" +
      // Its own orders stay visible (so placing one still works), plus every order of a business it has bought from.
      "  USING (customer_user_id = (SELECT app.current_user_id())\n" +
      "         OR EXISTS (SELECT 1 FROM public.order_items i WHERE i.business_id = orders.business_id\n" +
      "                     AND i.customer_user_id = (SELECT app.current_user_id())));\n",
    tests: [`${ISOLATION}/customer-own-rows.test.ts`],
  },
  {
    name: "register-hashes-in-transaction",
    bug: "auth.register hashes the password inside its platform transaction, holding a pooled connection for the whole hash",
    file: "src/services/auth/register.ts",
    search: "  const passwordHash = await hashPassword(input.password);\n  const [row] = await platform((scope) =>\n",
    replace: '  let passwordHash = "";\n  const [row] = await platform(async (scope) => (passwordHash = await hashPassword(input.password)) &&\n',
    tests: ["test/auth/hashing-holds-no-connection.test.ts"],
  },
  {
    name: "staff-lookup-without-context",
    bug: "app.is_member_of answers any connection of the customer role, signed context or not, so anyone learns who works where",
    file: "sql/007_marketplace.sql",
    search: "    SELECT (SELECT app.current_user_id()) IS NOT NULL\n       AND EXISTS",
    replace: "    SELECT EXISTS",
    tests: [`${ISOLATION}/definer-helpers.test.ts`],
  },
  {
    name: "context-separator-unchecked",
    bug: "the context check no longer requires the dot before the signature, so a genuine context with another character there (one the app never signs) is accepted",
    file: "sql/002_functions.sql",
    search: "WHEN pg_catalog.substr(c.raw, pg_catalog.length(c.raw) - 64, 1) = '.'\n",
    replace: "WHEN true\n",
    tests: [`${ISOLATION}/signed-context.test.ts`],
  },
  {
    name: "access-check-unbound-user",
    bug: "the access check of a tenant request answers for any user with a live session, not only the signed context's user",
    file: "sql/010_tenant_requests.sql",
    search: "  IF v_user IS DISTINCT FROM p_user OR NOT app.session_is_active(p_session, p_user) THEN",
    replace: "  IF NOT app.session_is_active(p_session, p_user) THEN",
    tests: [`${ISOLATION}/definer-helpers.test.ts`],
  },
  {
    name: "search-filter-spliced",
    bug: "the search door splices the caller's filter into one string with the tenant's (`tenant_id = A AND (<filter>)`), which a `) OR (` undoes",
    file: "src/tenancy/search-filter.ts",
    search: "  return given ? [own, given] : [own];",
    replace: "  return given ? [`${own} AND (${given})`] : [own];",
    tests: ["test/search/isolation.test.ts"],
  },
  {
    name: "search-tenant-filter-dropped",
    bug: "the search door sends the caller's filter alone: every business's documents match",
    file: "src/tenancy/search-filter.ts",
    search: "  return given ? [own, given] : [own];",
    replace: "  return given ? [given] : [];",
    tests: ["test/search/isolation.test.ts"],
  },
  {
    name: "search-tenant-id-filter-allowed",
    bug: "a caller's filter may name tenant_id (no longer refused)",
    file: "src/tenancy/search-filter.ts",
    search: "  if (/tenant_id/i.test(filter)) throw",
    replace: "  if (false) throw",
    tests: ["test/search/isolation.test.ts"],
  },
  {
    name: "search-token-rules-opened",
    bug: "tenant tokens carry no tenant filter: a token searches every business's products",
    file: "src/tenancy/search-token.ts",
    search: "    searchRules: { [names.products]: { filter }, [names.services]: { filter } },",
    replace: "    searchRules: [names.products, names.services],",
    tests: ["test/search/tokens.test.ts", "test/routers/search.security.test.ts"],
  },
  {
    name: "cache-stale-past-grace",
    bug: "an expired cache entry is answered as stale whatever its grace, so entries without one never expire",
    file: "src/tenancy/cache-entries.ts",
    search: 'return (value.s ?? 0) > now ? "stale" : "gone";',
    replace: 'return "stale";',
    tests: ["test/cache/stale-while-revalidate.test.ts"],
  },
  {
    name: "cache-overtaken-compute-written",
    bug: "a compute that an invalidation overtook still caches what it read before the write",
    file: "src/tenancy/cache-entries.ts",
    search: "if (seen === invalidations) await write(",
    replace: "await write(",
    tests: ["test/cache/stale-while-revalidate.test.ts"],
  },
  {
    name: "cache-flush-overtaken-compute-written",
    bug: "a compute in flight across a flush of its tenant still writes, leaving a key the flush meant to remove",
    file: "src/tenancy/cache.ts",
    search: "    entries.overtakeComputes();\n",
    replace: "",
    tests: ["test/cache/stale-while-revalidate.test.ts"],
  },
];
