/**
 * `bun run test`: starts what the tests need, runs `bun test` against it, and
 * ends with one line `N passed, N failed`.
 *
 * - PostgreSQL: with DATABASE_URL, a fresh database on that server (dropped
 *   afterwards); without it, an embedded PostgreSQL in a temporary data dir.
 * - Meilisearch: MEILI_URL if set, else the bundled binary. The run's indexes and
 *   search key live under its own MEILI_INDEX_PREFIX and are removed at the end.
 * - Redis: REDIS_URL if set (the redis driver is then covered); else the memory
 *   driver, and the summary says so.
 * After the run, the log file of the whole run is searched for every secret the
 * tests used or the app created for them (test/setup/secrets.ts records them),
 * the file-link signing key and Meilisearch master key, and anything shaped like
 * a password hash or a JWT; that scan counts as one check.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { removeDataDir } from "../src/infra/postgres-runtime.ts";
import { scratchDatabase } from "../src/infra/scratch-database.ts";
import { startServices } from "../src/infra/services.ts";
import { createSearch } from "../src/tenancy/search.ts";
import { removeKeysUnder } from "./setup/redis-keys.ts";
import { leakedSecrets, runSecrets } from "./setup/secrets.ts";

const ROOT = resolve(import.meta.dir, "..");
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const dataDir = join(ROOT, ".test-data", runId);
mkdirSync(dataDir, { recursive: true });
const logFile = join(dataDir, "app.log");
const secretsFile = join(dataDir, "secrets.txt");
// Redis and Meilisearch (MEILI_URL) may be shared: this run's keys and indexes all live under its own prefix, removed at the end.
const runPrefix = `desibazaar-test-${runId}`;
const say = (m: string) => console.log(`[test] ${m}`);

async function main(): Promise<number> {
  const given = process.env.DATABASE_URL;
  const fresh = given ? scratchDatabase(given, `desibazaar_test_${runId}`, say) : null;
  say(given ? `PostgreSQL: fresh database on the server in DATABASE_URL` : "PostgreSQL: embedded (no DATABASE_URL)");
  const services = await startServices({
    dataDir,
    databaseUrl: fresh?.url,
    meiliUrl: process.env.MEILI_URL || undefined,
    meiliMasterKey: process.env.MEILI_MASTER_KEY || undefined,
    ephemeral: true,
    log: (m) => (m.startsWith("starting") ? say(m) : undefined),
  });
  const jwtSecret = `test-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  // The run's own secrets are scanned for too: the key that signs contexts, role passwords, the token key.
  const rolePasswords = Object.values(services.roleUrls).map((u) => decodeURIComponent(new URL(u).password));
  appendFileSync(secretsFile, [services.contextKey, jwtSecret, services.meiliMasterKey, ...rolePasswords].filter(Boolean).join("\n") + "\n");
  const search = createSearch({ url: services.meiliUrl, masterKey: services.meiliMasterKey, indexPrefix: runPrefix });
  say(process.env.REDIS_URL ? "Redis: REDIS_URL (redis driver)" : "Redis: REDIS_URL not set; cache tests use the memory driver");

  let passed = 0;
  let failed = 0;
  let exitCode = 1;
  try {
    const child = Bun.spawn(["bun", "test", "--timeout", "60000", ...process.argv.slice(2)], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: services.ownerUrl,
        DATABASE_APP_URL: services.roleUrls.app,
        DATABASE_CUSTOMER_URL: services.roleUrls.customer,
        DATABASE_ADMIN_URL: services.roleUrls.admin,
        DATABASE_PLATFORM_URL: services.roleUrls.platform,
        DATABASE_JOBS_URL: services.roleUrls.jobs,
        CONTEXT_SIGNING_KEY: services.contextKey,
        MEILI_URL: services.meiliUrl,
        MEILI_MASTER_KEY: services.meiliMasterKey,
        DATA_DIR: dataDir,
        LOG_FILE: logFile,
        LOG_LEVEL: "debug",
        TEST_SECRETS_FILE: secretsFile,
        JWT_SECRET: jwtSecret,
        CACHE_PREFIX: runPrefix,
        MEILI_INDEX_PREFIX: runPrefix,
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    const outputs = await Promise.all([child.stdout, child.stderr].map(async (stream, i) => {
      let text = "";
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        const piece = decoder.decode(chunk, { stream: true });
        text += piece;
        (i === 0 ? process.stdout : process.stderr).write(piece);
      }
      return text;
    }));
    exitCode = await child.exited;
    const all = outputs.join("\n");
    passed = Number(/^\s*(\d+) pass$/m.exec(all)?.[1] ?? 0);
    failed = Number(/^\s*(\d+) fail$/m.exec(all)?.[1] ?? 0);
    if (exitCode !== 0 && failed === 0) failed = 1; // a crash or load error is a failure too

    await recordSearchKeys(services.meiliUrl, services.meiliMasterKey).catch((e) => say(`could not read this run's search keys: ${String(e)}`));
    const leaked = scanLogForSecrets();
    if (leaked.length) {
      failed += 1;
      say(`log scan FAILED: ${leaked.length} secret(s) (passwords, password hashes, tokens) appear in ${logFile}`);
    } else {
      passed += 1;
      say("log scan passed: no password, password hash or token appears in the run's log");
    }
  } finally {
    await search.drop().catch((e) => say(`could not remove this run's search indexes and keys: ${String(e)}`));
    if (process.env.REDIS_URL) await removeKeysUnder(process.env.REDIS_URL, runPrefix).catch((e) => say(`could not remove this run's Redis keys: ${String(e)}`));
    await services.stop();
    await fresh?.drop();
    if (failed === 0) removeDataDir(dataDir);
    else say(`kept ${dataDir} for inspection`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

/** The search keys the run created (the tenant-token signing keys) are secrets the log must not hold either. */
async function recordSearchKeys(url: string, masterKey: string): Promise<void> {
  const response = await fetch(new URL("/keys?limit=10000", url), { headers: { authorization: `Bearer ${masterKey}` } });
  if (!response.ok) throw new Error(`GET /keys answered ${response.status}`);
  const { results } = (await response.json()) as { results: { name: string | null; key: string }[] };
  const mine = results.filter((k) => k.name?.startsWith(`${runPrefix}-`)).map((k) => k.key);
  if (mine.length) appendFileSync(secretsFile, mine.join("\n") + "\n");
}

/** Secrets the tests used, the app created or the services hold, and anything shaped like a password hash or a JWT, found in the log. */
function scanLogForSecrets(): string[] {
  const recorded = [...new Set([...(existsSync(secretsFile) ? readFileSync(secretsFile, "utf8").split("\n") : []), ...runSecrets(dataDir)])];
  const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
  return leakedSecrets(log, recorded);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
