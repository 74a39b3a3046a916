/**
 * `bun run db:migrate`: applies drizzle's migrations and sql/ to DATABASE_URL,
 * or to the embedded PostgreSQL under DATA_DIR when DATABASE_URL is unset.
 */
import { env } from "../env.ts";
import { runMigrations } from "../db/migrate.ts";
import { roleUrls } from "../db/roles.ts";
import { startEmbeddedPostgres } from "../infra/embedded-postgres.ts";
import { freePort } from "../infra/processes.ts";

const say = (m: string) => console.log(`[migrate] ${m}`);

async function main() {
  const embedded = env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: env.DATA_DIR, port: freePort(), database: "desibazaar", log: () => {} });
  const ownerUrl = env.DATABASE_URL ?? embedded!.ownerUrl;
  say(embedded ? `embedded PostgreSQL under ${env.DATA_DIR}` : "DATABASE_URL");
  try {
    await runMigrations({
      ownerUrl,
      roleUrls: roleUrls(ownerUrl, { app: env.DATABASE_APP_URL, customer: env.DATABASE_CUSTOMER_URL, admin: env.DATABASE_ADMIN_URL, platform: env.DATABASE_PLATFORM_URL }),
      log: say,
    });
    say("done");
  } finally {
    await embedded?.stop();
  }
}

main().catch((error) => {
  console.error(`[migrate] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
