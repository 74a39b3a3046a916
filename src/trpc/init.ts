/**
 * tRPC instance: superjson, and one error shape. Stack traces never leave the
 * server; internal errors carry only a generic message with the request id.
 */
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import type { Context } from "./context.ts";
import { genericMessage, zodErrorData, zodSummary } from "./errors.ts";
import { serializeForWire } from "./wire-json.ts";

export const t = initTRPC.context<Context>().create({
  // superjson both ways; responses are written by serializeForWire (src/trpc/wire-json.ts), which
  // produces the same format for plain values without superjson's generic walk.
  transformer: { input: superjson, output: { serialize: serializeForWire, deserialize: superjson.deserialize } },
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    const zodError = error.code === "BAD_REQUEST" ? zodErrorData(error.cause) : null;
    return {
      ...shape,
      message: internal ? genericMessage(ctx?.requestId) : zodError ? zodSummary(zodError.issues) : shape.message,
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
