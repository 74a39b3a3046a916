/**
 * `bun run db:migrate`: applies drizzle's migrations and sql/ to DATABASE_URL,
 * or to the embedded PostgreSQL under DATA_DIR when DATABASE_URL is unset (the
 * one `bun run start` is running, if any: it is reused, never stopped).
 */
import { runMigrations } from "../db/migrate.ts";
import { openOwnerDatabase } from "./database.ts";

const say = (m: string) => console.log(`[migrate] ${m}`);

async function main() {
  const owner = await openOwnerDatabase();
  say(owner.where);
  try {
    await runMigrations({ ...owner.migrateOptions, log: say });
    say("done");
  } finally {
    await owner.stop();
  }
}

main().catch((error) => {
  console.error(`[migrate] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
