/**
 * `bun run bench`: starts PostgreSQL the way test/run.ts does, runs each
 * benchmark, prints what it measured and a summary. Nothing here asserts on
 * timings: the numbers are for people to read.
 *
 * - PostgreSQL: with DATABASE_URL, a fresh database on that server (dropped
 *   afterwards); without it, an embedded PostgreSQL in a temporary data dir.
 * - Meilisearch: only the search benchmark needs it; MEILI_URL if set, else the
 *   bundled binary, started only when that benchmark runs (a dummy URL otherwise).
 * - Redis: REDIS_URL if set (the cache benchmark then compares Redis and memory).
 * Arguments name the benchmarks to run (tenant-read, http, http-quiet, cache, files, provisioning, jobs, search); none runs all.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { removeDataDir } from "../src/infra/postgres-runtime.ts";
import { scratchDatabase } from "../src/infra/scratch-database.ts";
import { startServices } from "../src/infra/services.ts";
import type { BenchEnv } from "./env.ts";
import { filesBench } from "./files.ts";
import { httpBench } from "./http.ts";
import { httpQuietBench } from "./http-quiet.ts";
import { cacheBench } from "./cache.ts";
import { benchJobs } from "./jobs.ts";
import { benchProvision } from "./provision.ts";
import { searchBench } from "./search.ts";
import { tenantReadBench } from "./tenant-read.ts";

/** Every benchmark, by the name `bun run bench <name...>` selects it with (none named: all). */
const BENCHES: Record<string, (env: BenchEnv) => Promise<string[]>> = {
  "tenant-read": tenantReadBench,
  http: httpBench,
  "http-quiet": httpQuietBench,
  cache: cacheBench,
  files: filesBench,
  provisioning: benchProvision,
  jobs: benchJobs,
  search: searchBench,
};
const only = process.argv.slice(2);

const ROOT = resolve(import.meta.dir, "..");
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const dataDir = join(ROOT, ".test-data", `bench-${runId}`);
const say = (m: string) => console.log(`[bench] ${m}`);

async function main(): Promise<void> {
  const unknown = only.filter((name) => !(name in BENCHES));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}`);
  mkdirSync(dataDir, { recursive: true });
  const wantsSearch = !only.length || only.includes("search");
  const given = process.env.DATABASE_URL;
  const fresh = given ? scratchDatabase(given, `desibazaar_bench_${runId}`, say) : null;
  say(given ? "PostgreSQL: fresh database on the server in DATABASE_URL" : "PostgreSQL: embedded (no DATABASE_URL)");
  const services = await startServices({
    dataDir,
    databaseUrl: fresh?.url,
    // Never contacted unless the search benchmark runs.
    meiliUrl: wantsSearch ? process.env.MEILI_URL || undefined : "http://127.0.0.1:1",
    meiliMasterKey: wantsSearch ? process.env.MEILI_MASTER_KEY || undefined : undefined,
    ephemeral: true,
    log: (m) => (m.startsWith("starting") ? say(m) : undefined),
  }).catch(async (error) => {
    await fresh?.drop();
    throw error;
  });
  const cleanUp = async () => {
    await services.stop();
    await fresh?.drop();
    removeDataDir(dataDir);
  };
  // Ctrl-C must not leave an embedded PostgreSQL running in a data dir nobody will reuse.
  process.once("SIGINT", () => {
    say("interrupted; stopping services");
    void cleanUp().finally(() => process.exit(130));
  });
  try {
    const env: BenchEnv = {
      ownerUrl: services.ownerUrl,
      roleUrls: services.roleUrls,
      contextKey: services.contextKey,
      redisUrl: process.env.REDIS_URL || undefined,
      meiliUrl: wantsSearch ? services.meiliUrl : undefined,
      meiliMasterKey: services.meiliMasterKey,
      say,
    };
    const summary: string[] = [];
    for (const [name, bench] of Object.entries(BENCHES)) {
      if (only.length && !only.includes(name)) continue;
      say(`== ${name} ==`);
      summary.push(...(await bench(env)));
    }
    console.log(["", "== summary ==", ...summary].join("\n"));
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
