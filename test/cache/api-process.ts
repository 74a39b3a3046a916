/**
 * One API process for the multi-process tests: the app and dependencies
 * src/index.ts serves, built from the environment the test runner set up. It
 * skips what index.ts does first (starting PostgreSQL and Meilisearch,
 * migrating, seeding a demo business): the test database is already there, and
 * a seeded demo business would be one more tenant in every other test's database.
 * Prints `listening <port>` once it serves; SIGTERM closes it.
 */
import { createApp } from "../../src/app.ts";
import { createDeps } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import { testDepsConfig } from "../setup/deps-config.ts";

const deps = createDeps(testDepsConfig({ pool: { max: 5 } }));
await deps.cache.store.ready(10_000).catch(() => {}); // /health will say so if it is not
const server = Bun.serve({ port: env.PORT, hostname: "127.0.0.1", fetch: createApp(deps).fetch });
console.log(`listening ${server.port}`);

process.on("SIGTERM", async () => {
  await server.stop(true);
  await deps.close().catch(() => {});
  process.exit(0);
});
