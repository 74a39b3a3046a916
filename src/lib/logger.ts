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

export const logger = pino(
  {
    level: env.LOG_LEVEL,
    base: undefined,
    redact: { paths: redactPaths, censor: "[redacted]" },
    mixin() {
      const ctx = currentContext();
      return ctx ? { requestId: ctx.requestId, tenantId: ctx.tenantId, userId: ctx.userId } : {};
    },
  },
  env.LOG_FILE ? pino.destination({ dest: env.LOG_FILE, append: true, mkdir: true, sync: false }) : pino.destination(1),
);
