/**
 * `bun run test:mutants`: plants each deliberate bug of test/mutants/list.ts, one
 * at a time, in a scratch copy of the tree, runs the test files that must catch
 * it (`bun run test <files>` in that copy), and reports each mutant as CAUGHT or
 * MISSED. The working tree is never modified: the copy holds the files git
 * tracks plus untracked ones it does not ignore, as they are on disk now
 * (uncommitted edits included), with node_modules linked.
 *
 *   bun run test:mutants                 baseline, then every mutant
 *   bun run test:mutants purge redact    only mutants whose name contains one of these words
 *   bun run test:mutants --check         only check that every mutant still applies (no tests run)
 *   bun run test:mutants --list          print the mutants
 *   bun run test:mutants --no-baseline   skip the unmutated control run
 *   bun run test:mutants --keep-logs     keep every run's output (kept anyway when a mutant is not CAUGHT)
 *   bun run test:mutants redact --tests=test/auth,test/http
 *                                        run other test files or directories than the list names (does the rest of the suite notice?)
 *
 * Before the mutants, a baseline runs the same test files on the unmutated copy:
 * a test that already fails would make every mutant look caught. Results:
 *   CAUGHT  tests failed with the bug in place (the first failing tests are named)
 *   MISSED  every test passed with the bug in place: the suite has a gap
 *   STALE   the mutant's search text is not in its file exactly once (the code moved: update list.ts)
 *   ERROR   the run failed without any test failing (the mutant broke start-up or loading): look at its log
 * Exits 0 only when every mutant is CAUGHT.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { MUTANTS, type Mutant } from "./list.ts";

const ROOT = resolve(import.meta.dir, "../..");
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--") && !a.includes("=")));
const testsOverride = args.find((a) => a.startsWith("--tests="))?.slice("--tests=".length).split(",").filter(Boolean);
const words = args.filter((a) => !a.startsWith("--"));
const say = (m: string) => console.log(`[mutants] ${m}`);

type Result = "CAUGHT" | "MISSED" | "STALE" | "ERROR";
interface Outcome {
  mutant: Mutant;
  result: Result;
  seconds: number;
  detail: string;
}

/** Files of the working tree as git sees it: tracked (as on disk) plus untracked, not ignored. */
function treeFiles(): string[] {
  const out = Bun.spawnSync(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT });
  if (out.exitCode !== 0) throw new Error(`git ls-files failed: ${out.stderr.toString()}`);
  // Regular files only: a deleted file, or a symlinked node_modules that .gitignore's `node_modules/` does not match, is skipped.
  return [...new Set(out.stdout.toString().split("\0").filter(Boolean))].filter(
    (f) => f !== "node_modules" && !f.startsWith("node_modules/") && existsSync(join(ROOT, f)) && lstatSync(join(ROOT, f)).isFile(),
  );
}

function scratchCopy(label: string, files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), `desibazaar-mutant-${label}-`));
  try {
    // mkdtemp makes it 0700; embedded PostgreSQL may run as another user (as root it runs as `postgres`).
    chmodSync(dir, 0o755);
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(dir, file));
    }
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

const occurrences = (text: string, search: string) => (search ? text.split(search).length - 1 : 0);

/** Why `mutant` cannot be planted in `dir`, or null when it can. */
function staleReason(mutant: Mutant, dir: string): string | null {
  const path = join(dir, mutant.file);
  if (!existsSync(path)) return `${mutant.file} does not exist`;
  if (mutant.search === mutant.replace) return "search and replace are the same: it plants nothing";
  const n = occurrences(readFileSync(path, "utf8"), mutant.search);
  if (n !== 1) return `its search text occurs ${n} times in ${mutant.file} (must be exactly once): ${JSON.stringify(mutant.search.slice(0, 90))}`;
  const missing = mutant.tests.filter((t) => !existsSync(join(dir, t)));
  if (!mutant.tests.length) return "it names no test files";
  if (missing.length) return `its test file(s) ${missing.join(", ")} do not exist`;
  return null;
}

function plant(mutant: Mutant, dir: string): void {
  const path = join(dir, mutant.file);
  const mutated = readFileSync(path, "utf8").replace(mutant.search, () => mutant.replace);
  if (/\.(ts|tsx|js|mjs)$/.test(path)) new Bun.Transpiler({ loader: path.endsWith(".tsx") ? "tsx" : "ts" }).transformSync(mutated); // throws on a syntax error
  writeFileSync(path, mutated);
}

/** The test run in progress, so Ctrl-C lets it stop its services before its directory goes. */
let running: ReturnType<typeof Bun.spawn> | null = null;

/** `bun run test <files>` in `dir`; the whole output goes to `log`. */
async function runTests(dir: string, files: string[], log: string) {
  const child = Bun.spawn(["bun", "run", "test", ...files], { cwd: dir, env: process.env, stdout: "pipe", stderr: "pipe" });
  running = child;
  const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  const code = await child.exited;
  running = null;
  const text = `${out}\n${err}`;
  writeFileSync(log, text);
  const failing = [...text.matchAll(/^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$/gm)].map((m) => (m[1] === "(unnamed)" ? "a beforeAll/afterAll hook" : m[1]!));
  const logScanFailed = /log scan FAILED/.test(text);
  return { code, failing: [...new Set(failing)], logScanFailed };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

async function main(): Promise<number> {
  const chosen = words.length ? MUTANTS.filter((m) => words.some((w) => m.name.includes(w))) : MUTANTS;
  const selected = testsOverride ? chosen.map((m) => ({ ...m, tests: testsOverride })) : chosen;
  const names = new Set<string>();
  for (const m of MUTANTS) {
    if (names.has(m.name)) throw new Error(`two mutants are named ${m.name}`);
    names.add(m.name);
  }
  if (!selected.length) {
    say(`no mutant matches ${words.join(", ")}; names: ${MUTANTS.map((m) => m.name).join(", ")}`);
    return 1;
  }
  if (flags.has("--list")) {
    for (const m of selected) console.log(`${pad(m.name, 38)} ${m.file}\n${" ".repeat(39)}${m.bug}\n${" ".repeat(39)}caught by: ${m.tests.join(" ")}`);
    return 0;
  }

  const files = treeFiles();
  let current: string | null = null;
  const cleanUp = () => current && rmSync(current, { recursive: true, force: true });
  process.on("SIGINT", async () => {
    if (running) {
      running.kill("SIGINT");
      await running.exited;
    }
    cleanUp();
    process.exit(130);
  });

  // Every mutant must still apply before anything runs: a stale one is reported at once, by name.
  const probe = scratchCopy("probe", files);
  const stale = selected.map((m) => [m, staleReason(m, probe)] as const).filter(([, why]) => why);
  rmSync(probe, { recursive: true, force: true });
  for (const [m, why] of stale) say(`STALE ${m.name} (${m.file}): ${why}; update this mutant in test/mutants/list.ts to plant the same bug in the current code`);
  if (flags.has("--check")) {
    say(stale.length ? `${stale.length} of ${selected.length} mutant(s) are stale: update test/mutants/list.ts` : `all ${selected.length} mutants apply`);
    return stale.length ? 1 : 0;
  }

  const runDir = mkdtempSync(join(tmpdir(), "desibazaar-mutants-"));
  const testFiles = [...new Set(selected.flatMap((m) => m.tests))].filter((f) => existsSync(join(ROOT, f))).sort();
  if (!flags.has("--no-baseline")) {
    say(`baseline: ${testFiles.length} test file(s) on the unmutated tree`);
    const started = performance.now();
    current = scratchCopy("baseline", files);
    const log = join(runDir, "baseline.log");
    const run = await runTests(current, testFiles, log);
    cleanUp();
    const seconds = (performance.now() - started) / 1000;
    if (run.code !== 0) {
      say(`baseline FAILED in ${seconds.toFixed(1)} s (${run.failing.slice(0, 5).join("; ") || "no test named; see the log"}): fix the suite first; log: ${log}`);
      return 1;
    }
    say(`baseline passed in ${seconds.toFixed(1)} s`);
  }

  const outcomes: Outcome[] = [];
  for (const [i, mutant] of selected.entries()) {
    const tag = `${i + 1}/${selected.length} ${mutant.name} (${mutant.file})`;
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const staleWhy = stale.find(([m]) => m === mutant)?.[1];
    if (staleWhy) {
      outcomes.push({ mutant, result: "STALE", seconds: 0, detail: staleWhy });
      say(`${tag}: STALE: ${staleWhy}`);
      continue;
    }
    say(`${tag}: ${mutant.bug}; running ${mutant.tests.join(" ")}`);
    current = scratchCopy(mutant.name, files);
    try {
      plant(mutant, current);
    } catch (error) {
      cleanUp();
      outcomes.push({ mutant, result: "ERROR", seconds: elapsed(), detail: `the mutated file does not parse: ${(error as Error).message}` });
      say(`${tag}: ERROR: the mutated file does not parse`);
      continue;
    }
    const log = join(runDir, `${mutant.name}.log`);
    const run = await runTests(current, mutant.tests, log);
    cleanUp();
    current = null;
    let outcome: Outcome;
    if (run.code === 0) outcome = { mutant, result: "MISSED", seconds: elapsed(), detail: `every test passed; log: ${log}` };
    else if (run.failing.length || run.logScanFailed)
      outcome = {
        mutant,
        result: "CAUGHT",
        seconds: elapsed(),
        detail: `${run.failing.length} failing${run.logScanFailed ? " + the log scan" : ""}: ${run.failing[0] ?? "log scan"}`,
      };
    else outcome = { mutant, result: "ERROR", seconds: elapsed(), detail: `the run failed but no test did (start-up, migration or load error?); log: ${log}` };
    outcomes.push(outcome);
    say(`${tag}: ${outcome.result} in ${outcome.seconds.toFixed(1)} s (${outcome.detail})`);
  }

  console.log("");
  console.log(`${pad("mutant", 38)} ${pad("result", 7)} ${pad("time", 8)} detail`);
  for (const o of outcomes) console.log(`${pad(o.mutant.name, 38)} ${pad(o.result, 7)} ${pad(`${o.seconds.toFixed(1)} s`, 8)} ${o.detail}`);
  const caught = outcomes.filter((o) => o.result === "CAUGHT").length;
  console.log(`\n${caught} of ${outcomes.length} mutants caught`);
  const ok = caught === outcomes.length;
  const keepLogs = outcomes.some((o) => o.result === "MISSED" || o.result === "ERROR") || flags.has("--keep-logs");
  if (!keepLogs) rmSync(runDir, { recursive: true, force: true });
  else say(`logs kept in ${runDir}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
