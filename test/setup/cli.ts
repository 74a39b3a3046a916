/** `bun run tenant`, spawned as an operator would run it from the repository root with this process's environment. */
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bun src/cli/tenant.ts ...args` and collects its output and exit code. */
export async function tenantCli(...args: string[]): Promise<CliRun> {
  const child = Bun.spawn(["bun", "src/cli/tenant.ts", ...args], { cwd: ROOT, env: process.env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}
