/** Purges businesses closed for longer than the retention period (30 days), one transaction each. */
import { z } from "zod";
import { and, eq, lt } from "drizzle-orm";
import { businessTenants } from "../../db/schema/index.ts";
import { purgeTenant } from "../../services/lifecycle/purge.ts";
import { RETENTION_DAYS } from "../../services/lifecycle/transitions.ts";
import { definePlatformJob } from "../definition.ts";

export const platformPurgeClosed = definePlatformJob({
  type: "platform.purge-closed",
  data: z.object({}),
  schedule: "30 3 * * *",
  policy: { retryLimit: 2, retryDelay: 300, expireInSeconds: 3600 },
  async run({ admin, log }) {
    const cutoff = new Date(Date.now() - RETENTION_DAYS * 86_400_000);
    const due = await admin((scope) =>
      scope.db
        .select({ tenantKey: businessTenants.tenantKey })
        .from(businessTenants)
        .where(and(eq(businessTenants.status, "closed"), lt(businessTenants.deletedAt, cutoff)))
        .limit(1000),
    );
    let failed = 0;
    for (const { tenantKey } of due) {
      try {
        // purgeTenant checks the retention period again under its row lock.
        await admin((scope) => purgeTenant(scope, tenantKey, { actor: { userId: null, via: "job" }, reason: `closed for more than ${RETENTION_DAYS} days` }));
      } catch (error) {
        failed++;
        log.error({ err: error, tenantKey }, "purge of a closed business failed");
      }
    }
    if (due.length) log.info({ purged: due.length - failed, failed }, "closed businesses purged");
    if (failed) throw new Error(`${failed} of ${due.length} purges failed`);
  },
});
