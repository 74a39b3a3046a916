/**
 * Starts and stops API processes (test/cache/api-process.ts) as real children,
 * and a typed client for one of them over real HTTP.
 */
import { afterAll } from "bun:test";
import { resolve } from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../../src/trpc/router.ts";

const ROOT = resolve(import.meta.dir, "..", "..");
const running: ApiProcess[] = [];

export interface ApiProcess {
  url: string;
  fetch(request: Request): Promise<Response>;
  stop(): Promise<void>;
}

export async function startApiProcess(extraEnv: Record<string, string | undefined>): Promise<ApiProcess> {
  const child = Bun.spawn(["bun", "test/cache/api-process.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", ...extraEnv } as Record<string, string>,
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let text = "";
  const deadline = Date.now() + 30_000;
  while (!/listening (\d+)/.test(text)) {
    if (Date.now() > deadline) throw new Error(`the API process did not start: ${text}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`the API process exited: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const url = `http://127.0.0.1:${/listening (\d+)/.exec(text)![1]}`;
  const proc: ApiProcess = {
    url,
    fetch: (request) => {
      const target = new URL(request.url);
      return fetch(new Request(`${url}${target.pathname}${target.search}`, request));
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await child.exited;
    },
  };
  running.push(proc);
  return proc;
}

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

/** A typed client talking to `proc` over HTTP. */
export function remote(proc: { url: string }, options: { token?: string; tenant?: string } = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${proc.url}/trpc`,
        transformer: superjson,
        headers: () => ({
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.tenant ? { "x-tenant-id": options.tenant } : {}),
        }),
      }),
    ],
  });
}
