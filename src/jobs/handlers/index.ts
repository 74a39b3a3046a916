/** Every production job type; src/jobs/catalog.ts registers them. One handler per file. */
import type { JobDefinition } from "../definition.ts";
import { bookingConfirmationEmail } from "./booking-confirmation-email.ts";
import { monthlyReport } from "./monthly-report.ts";
import { orderConfirmationEmail } from "./order-confirmation-email.ts";
import { platformMonthlyReports } from "./platform-monthly-reports.ts";
import { platformOrphanFileSweep } from "./platform-orphan-file-sweep.ts";
import { platformPurgeClosed } from "./platform-purge-closed.ts";
import { platformReleaseHolds } from "./platform-release-holds.ts";
import { platformRollover } from "./platform-rollover.ts";
import { releaseExpiredHoldsJob } from "./release-expired-holds.ts";
import { searchIndexListing } from "./search-index-listing.ts";
import { searchIndexProduct } from "./search-index-product.ts";
import { searchIndexService } from "./search-index-service.ts";
import { searchPurgeBusiness } from "./search-purge-business.ts";

export const PRODUCTION_JOBS: readonly JobDefinition[] = [
  bookingConfirmationEmail,
  orderConfirmationEmail,
  monthlyReport,
  releaseExpiredHoldsJob,
  platformRollover,
  platformPurgeClosed,
  platformReleaseHolds,
  platformMonthlyReports,
  platformOrphanFileSweep,
  searchIndexProduct,
  searchIndexService,
  searchIndexListing,
  searchPurgeBusiness,
];
