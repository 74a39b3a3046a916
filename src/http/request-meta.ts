/**
 * What both doors into the app (tRPC in src/app.ts, the file routes in
 * src/http/files.ts) read from an HTTP request, and the one error body they answer with.
 */
import type { Context as HonoContext } from "hono";
import { getConnInfo } from "hono/bun";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { clientIp } from "../lib/client-ip.ts";
import { currentContext } from "../tenancy/request-context.ts";
import type { AppDeps, RequestMeta } from "../trpc/context.ts";

function socketAddress(c: HonoContext): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // not served by Bun.serve (e.g. app.request() in tests)
  }
}

/**
 * The request's id, client address (through TRUST_PROXY_HOPS proxies), user agent, headers and host.
 * The address is looked up when first asked for: only sign-in, registration and sessions need it,
 * and asking the socket costs a system call.
 */
export function requestMeta(c: HonoContext, deps: Pick<AppDeps, "trustProxyHops">): RequestMeta {
  const headers = c.req.raw.headers;
  let ip: string | null | undefined;
  return {
    requestId: currentContext()?.requestId ?? crypto.randomUUID(),
    clientIp: () => (ip === undefined ? (ip = clientIp(socketAddress(c), headers.get("x-forwarded-for"), deps.trustProxyHops)) : ip),
    userAgent: headers.get("user-agent"),
    headers,
    host: headers.get("host"),
  };
}

/** `{ error: { code, message, requestId } }`, the contract's error envelope outside tRPC. */
export const errorJson = (c: HonoContext, status: ContentfulStatusCode, code: string, message: string) =>
  c.json({ error: { code, message, requestId: currentContext()?.requestId } }, status);
