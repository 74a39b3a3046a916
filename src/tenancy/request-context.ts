/**
 * Who the current work is for, carried in AsyncLocalStorage.
 *
 * Only `run()` is used (never `enterWith`): Bun's ALS has had cross-request
 * bleed bugs with `enterWith`, and `run()` scopes the store to one call tree.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { readLogContextFrom } from "../lib/logger.ts";

export interface RequestContext {
  readonly requestId: string;
  readonly tenantId?: number;
  readonly userId?: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

// Every log line carries the request, tenant and user it was written for.
readLogContextFrom(currentContext);

/** Runs `fn` with `patch` layered over the current context. */
export function withContext<T>(patch: Partial<RequestContext>, fn: () => T): T {
  const base = storage.getStore() ?? { requestId: patch.requestId ?? crypto.randomUUID() };
  return storage.run({ ...base, ...patch }, fn);
}
