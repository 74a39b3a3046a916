/**
 * Serving the app on Bun: the one Bun.serve every API process uses. With
 * several processes on one port (WORKERS), each binds with reusePort and the
 * kernel spreads connections between them.
 */
import type { Server } from "bun";
import { createApp } from "../app.ts";
import type { AppDeps } from "../trpc/context.ts";

/** Bun accepts 128 MiB bodies by default; no route takes more than 64 MiB (tRPC: 1 MiB, src/app.ts). */
const MAX_REQUEST_BODY_BYTES = 64 * 1024 * 1024;
/** How long stopping waits for handlers still running before the pools close anyway. */
const DRAIN_MS = 10_000;

type Handler = (request: Request, server: Server<undefined>) => Response | Promise<Response>;

/**
 * A fetch handler that knows which of its calls are still running. Bun's
 * server.stop() waits for requests whose client is still there, not for a
 * handler whose client went away; such a handler goes on, and if the pools
 * close under it, its next query fails (CONNECTION_ENDED) with nobody left to
 * answer. Stopping waits for drained() before closing what handlers use.
 */
export function drainable(handler: Handler): { fetch: Handler; drained(timeoutMs: number): Promise<boolean> } {
  const running = new Set<Promise<unknown>>();
  return {
    fetch(request, server) {
      const answer = handler(request, server);
      if (!(answer instanceof Promise)) return answer;
      const forget = (): void => void running.delete(settled);
      const settled: Promise<void> = answer.then(forget, forget);
      running.add(settled);
      return answer;
    },
    async drained(timeoutMs) {
      const all = Promise.all(running).then(() => true);
      return Promise.race([all, Bun.sleep(timeoutMs).then(() => false)]);
    },
  };
}

export interface ApiServer {
  readonly port: number;
  /** Stops taking requests, then waits (at most 10 s) for every handler still running. */
  stop(): Promise<void>;
}

export function serveApi(deps: AppDeps, options: { port: number; reusePort: boolean; hostname?: string }): ApiServer {
  const handlers = drainable(createApp(deps).fetch);
  const server = Bun.serve({
    port: options.port,
    hostname: options.hostname ?? "0.0.0.0",
    reusePort: options.reusePort,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    fetch: handlers.fetch,
  });
  return {
    port: server.port!,
    async stop() {
      await server.stop();
      await handlers.drained(DRAIN_MS);
    },
  };
}
