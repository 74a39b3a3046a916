/**
 * JSON logs (pino). Every line carries requestId, tenantId and userId from the
 * request context, and secrets are redacted by key wherever they appear.
 */
import pino from "pino";
import { env } from "../env.ts";
import { currentContext } from "../tenancy/request-context.ts";

const SECRET_KEYS = [
  "password",
  "newPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "authorization",
  "cookie",
  "secret",
  "apiKey",
  "credentials",
  "masterKey",
];

export const redactPaths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Errors are logged without the query text and parameters a driver attaches:
 * a parameter can be a password or a token.
 */
function serializeError(error: unknown) {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  const scrub = (value: Record<string, unknown> | undefined) => {
    if (!value || typeof value !== "object") return;
    delete value.params;
    delete value.parameters;
    delete value.query;
    scrub(value.cause as Record<string, unknown> | undefined);
  };
  scrub(serialized);
  return serialized;
}

export const logger = pino(
  {
    level: env.LOG_LEVEL,
    serializers: { err: serializeError },
    base: undefined,
    redact: { paths: redactPaths, censor: "[redacted]" },
    mixin() {
      const ctx = currentContext();
      return ctx ? { requestId: ctx.requestId, tenantId: ctx.tenantId, userId: ctx.userId } : {};
    },
  },
  // Synchronous writes: an asynchronous file destination throws at process.exit()
  // before it has opened, which turned every short command's exit code into 1.
  env.LOG_FILE ? pino.destination({ dest: env.LOG_FILE, append: true, mkdir: true, sync: true }) : pino.destination(1),
);
