/** The columns booking outputs select, from their declared views (see db/pick.ts). */
import { pick } from "../../db/pick.ts";
import { bookings, businessTenants } from "../../db/schema/index.ts";
import { BookingView } from "./schemas.ts";

export const BOOKING_COLUMNS = pick(bookings, BookingView);

/** The business a customer's booking or order was made with, as its list shows it. */
export const CUSTOMER_BUSINESS_COLUMNS = { businessName: businessTenants.name, tenantKey: businessTenants.tenantKey };
