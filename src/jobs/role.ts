/**
 * The login role the queue's own machinery (pg-boss: fetch, complete, retry,
 * expiry, cron) connects as. It may read and write the pgboss tables and
 * nothing else: no tenant table, no ownership (sql/030_jobs.sql). Handlers do
 * not use it: they run on the tenant or super-admin pools like any request.
 *
 * Its URL is DATABASE_JOBS_URL, or derived from the owner URL the way
 * src/db/roles.ts derives the other roles' URLs.
 */
import { deriveRolePassword } from "../db/roles.ts";

export const JOBS_ROLE = "desibazaar_jobs";

export function jobsRoleUrl(ownerUrl: string, explicit?: string): string {
  if (explicit) return explicit;
  const url = new URL(ownerUrl);
  url.username = JOBS_ROLE;
  url.password = deriveRolePassword(ownerUrl, JOBS_ROLE);
  return url.toString();
}
