/**
 * A typed tRPC client that goes through the real HTTP stack (Hono, the tRPC
 * fetch adapter, superjson) in-process via app.fetch: what a mobile app sends.
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { expect } from "bun:test";
import superjson from "superjson";
import type { AppRouter } from "../../src/trpc/router.ts";
import { app } from "./harness.ts";

export interface ClientOptions {
  token?: string;
  /** Sent as x-tenant-id. */
  tenant?: string;
  host?: string;
  headers?: Record<string, string>;
}

export function client(options: ClientOptions = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `http://${options.host ?? "api.desibazaar.test"}/trpc`,
        transformer: superjson,
        headers: () => ({
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.tenant ? { "x-tenant-id": options.tenant } : {}),
          ...(options.host ? { host: options.host } : {}),
          ...options.headers,
        }),
        // In-process: the request goes through Hono and the tRPC adapter exactly as over the network.
        fetch: (async (url: string, init?: RequestInit) => app.fetch(new Request(url, init))) as never,
      }),
    ],
  });
}

/** The codes the server maps errors to (src/trpc/errors.ts). */
export type TRPCCode = TRPC_ERROR_CODE_KEY;

/** Awaits a call that must fail with `code`; returns the error for further checks. */
export async function expectCode(call: Promise<unknown>, code: TRPCCode): Promise<TRPCClientError<AppRouter>> {
  try {
    const value = await call;
    throw new Error(`expected ${code}, but the call succeeded with ${JSON.stringify(value)?.slice(0, 200)}`);
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    expect(error.data?.code).toBe(code);
    return error as TRPCClientError<AppRouter>;
  }
}
