/**
 * closed → gone: deletes the business_tenants row on the super-admin role. Every
 * tenant table's foreign key to business_tenants is ON DELETE CASCADE (a test
 * checks this from the catalog), so that one DELETE removes every row of the
 * business in every table. The purge is recorded in platform_audit_log, which is
 * not a tenant table and so survives it.
 *
 * Refused before the retention period (RETENTION_DAYS after closing) has passed,
 * unless `force` (the procedure is super-admin only; the CLI is an operator).
 *
 * Search: a job queued in the same transaction removes the business's documents.
 *
 * Files: first every file goes into one archive under archives/ (its key is in the
 * audit record), then the rows go with the business, then the blobs. Should the
 * blob deletion fail, the purge still stands and the orphan sweep removes what a
 * business that no longer exists left in storage.
 */
import { eq, sql } from "drizzle-orm";
import { businessTenants } from "../../db/schema/index.ts";
import { ConflictError } from "../../lib/errors.ts";
import { logger } from "../../lib/logger.ts";
import { rows } from "../../tenancy/rows.ts";
import type { AdminScope } from "../../tenancy/scopes.ts";
import { archiveTenantFiles, type ArchiveProgress } from "../files/archive.ts";
import { deleteAllTenantFiles } from "../files/delete-all.ts";
import type { LifecycleActor } from "./apply-transition.ts";
import { recordPlatformAudit } from "../audit/record.ts";
import { lockTenant } from "./tenant.ts";
import { nextStatus, RETENTION_DAYS } from "./transitions.ts";

export interface PurgeOptions {
  actor: LifecycleActor;
  reason?: string;
  force?: boolean;
  now?: Date;
  /** Called as files are archived (the CLI prints it for large businesses). */
  onProgress?: (progress: ArchiveProgress) => void;
}

export interface PurgeResult {
  status: "purged";
  /** Rows removed, per table (tables without rows of the business omitted). */
  rowsDeleted: Record<string, number>;
  /** The archive of the business's files (null when it had none), and how many blobs were then removed. */
  files: { archive: string | null; archived: number; bytes: number; blobsRemoved: number };
}

const DAY_MS = 86_400_000;

/** Every table with a business_id column, from the catalog: a table added later is covered without a list to maintain. */
async function tenantTables(scope: AdminScope): Promise<string[]> {
  const tables = await rows<{ name: string }>(
    scope.db,
    sql`
    select c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'business_id' and not a.attisdropped
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
     order by 1`,
  );
  return tables.map((r) => r.name);
}

async function rowCounts(scope: AdminScope, tables: string[], businessId: number): Promise<Record<string, number>> {
  if (!tables.length) return {};
  const parts = tables.map((t) => sql`select ${t}::text as name, count(*)::int as n from ${sql.identifier(t)} where business_id = ${businessId}`);
  const counts = await rows<{ name: string; n: number }>(scope.db, sql.join(parts, sql` union all `));
  return Object.fromEntries(counts.filter((r) => r.n > 0).map((r) => [r.name, r.n]));
}

export async function purgeTenant(scope: AdminScope, tenantRef: string, options: PurgeOptions): Promise<PurgeResult> {
  const { actor, reason, force = false, now = new Date() } = options;
  const tenant = await lockTenant(scope, tenantRef);
  nextStatus("purge", tenant.status);
  const closedAt = tenant.deletedAt ?? now;
  const retentionEnds = new Date(closedAt.getTime() + RETENTION_DAYS * DAY_MS);
  if (now < retentionEnds && !force) {
    const daysLeft = Math.ceil((retentionEnds.getTime() - now.getTime()) / DAY_MS);
    throw new ConflictError(
      `Cannot purge yet: the business was closed on ${closedAt.toISOString()} and is kept for ${RETENTION_DAYS} days, ` +
        `until ${retentionEnds.toISOString()} (${daysLeft} day(s) left); a super admin may force it`,
    );
  }

  const tables = await tenantTables(scope);
  const rowsDeleted = await rowCounts(scope, tables, tenant.id);
  const archive = await archiveTenantFiles(scope, tenant.id, { onProgress: options.onProgress, now });
  await scope.db.delete(businessTenants).where(eq(businessTenants.id, tenant.id));
  // A tenant table whose foreign key does not cascade would keep rows (or have failed the DELETE): never half-purge.
  const left = await rowCounts(scope, tables, tenant.id);
  if (Object.keys(left).length) throw new Error(`Purge of business ${tenant.id} left rows in ${Object.keys(left).join(", ")}; nothing was deleted`);

  const { blobsRemoved } = await deleteAllTenantFiles(scope, tenant.id).catch((error: unknown) => {
    logger.error({ err: error, businessId: tenant.id }, "purge: deleting the business's blobs failed; the orphan sweep will remove them");
    return { blobsRemoved: 0 };
  });
  const files = { archive: archive.key, archived: archive.files, bytes: archive.bytes, blobsRemoved };

  // Its search documents go by a job queued in this transaction: it exists only if the purge commits, and retries until Meilisearch has done it.
  await scope.jobs.send([tenant.id], "search.purge-business", {});
  // Every cache entry, counter and rate bucket of the business goes too, once the deletion has committed.
  scope.cache.purgeTenantAfterCommit(tenant.id, [tenant.tenantKey, tenant.slug]);
  await recordPlatformAudit(scope, {
    actorUserId: actor.userId,
    action: "tenant.purge",
    targetBusinessId: tenant.id,
    reason,
    details: { tenantKey: tenant.tenantKey, slug: tenant.slug, name: tenant.name, closedAt, forced: now < retentionEnds, via: actor.via, rowsDeleted, files },
  });
  return { status: "purged", rowsDeleted, files };
}
