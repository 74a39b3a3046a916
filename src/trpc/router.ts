import { router } from "./init.ts";
import { adminRouter } from "./routers/admin.ts";
import { authRouter } from "./routers/auth.ts";
import { bookingsRouter } from "./routers/bookings.ts";
import { categoriesRouter } from "./routers/categories.ts";
import { customerRouter } from "./routers/customer.ts";
import { directoryRouter } from "./routers/directory.ts";
import { filesRouter } from "./routers/files.ts";
import { jobsRouter } from "./routers/jobs.ts";
import { membersRouter } from "./routers/members.ts";
import { ordersRouter } from "./routers/orders.ts";
import { productsRouter } from "./routers/products.ts";
import { searchRouter } from "./routers/search.ts";
import { servicesRouter } from "./routers/services.ts";
import { subscriptionsRouter } from "./routers/subscriptions.ts";
import { tenantsRouter } from "./routers/tenants.ts";

export const appRouter = router({
  auth: authRouter,
  tenants: tenantsRouter,
  subscriptions: subscriptionsRouter,
  members: membersRouter,
  categories: categoriesRouter,
  products: productsRouter,
  services: servicesRouter,
  bookings: bookingsRouter,
  orders: ordersRouter,
  customer: customerRouter,
  directory: directoryRouter,
  admin: adminRouter,
  files: filesRouter,
  jobs: jobsRouter,
  search: searchRouter,
});

/** The type typed clients import: `createTRPCClient<AppRouter>(...)`. */
export type AppRouter = typeof appRouter;
