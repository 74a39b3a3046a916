/**
 * tRPC instance: superjson, and one error shape. Stack traces never leave the
 * server; internal errors carry only a generic message with the request id.
 */
import { initTRPC } from "@trpc/server";
import type { AccessRequirement } from "../tenancy/tenant-request.ts";
import type { Context } from "./context.ts";
import { transformer } from "./envelope.ts";
import { clientMessage, genericMessage, zodErrorData, zodSummary } from "./errors.ts";

/**
 * What a procedure may declare about its callers: tenantProcedureWith and
 * ownerProcedure set it, and the tenant middleware checks it in the request's
 * first statement (src/tenancy/tenant-request.ts).
 */
export type ProcedureMeta = AccessRequirement;

export const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  transformer,
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    const zodError = error.code === "BAD_REQUEST" ? zodErrorData(error.cause) : null;
    return {
      ...shape,
      message: internal ? genericMessage(ctx?.requestId) : zodError ? zodSummary(zodError.issues) : clientMessage(error),
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestId,
        zodError,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
