/**
 * Serving the app on Bun: the one Bun.serve every API process uses. With
 * several processes on one port (WORKERS), each binds with reusePort and the
 * kernel spreads connections between them.
 */
import { createApp } from "../app.ts";
import type { AppDeps } from "../trpc/context.ts";

/** Bun accepts 128 MiB bodies by default; no route takes more than 64 MiB (tRPC: 1 MiB, src/app.ts). */
const MAX_REQUEST_BODY_BYTES = 64 * 1024 * 1024;

export function serveApi(deps: AppDeps, options: { port: number; reusePort: boolean }) {
  return Bun.serve({
    port: options.port,
    hostname: "0.0.0.0",
    reusePort: options.reusePort,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    fetch: createApp(deps).fetch,
  });
}
