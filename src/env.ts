/**
 * The only reader of process.env. Parsed once at import, frozen, and every bad
 * value stops start-up with a message naming the variable (never its value:
 * some of these are secrets).
 */
import { availableParallelism } from "node:os";
import { z } from "zod";
import { ROLE_KINDS, roleUrlVariable, type ExplicitRoleUrls, type RoleUrls } from "./db/roles.ts";
import { PLAN_IDS } from "./db/schema/enums.ts";
import { isUsableKey } from "./lib/context-signature.ts";

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.join(" or ")}//`)
    .optional();

const postgresUrl = optionalUrl(["postgres:", "postgresql:"]);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: postgresUrl,
  DATABASE_APP_URL: postgresUrl,
  DATABASE_CUSTOMER_URL: postgresUrl,
  DATABASE_ADMIN_URL: postgresUrl,
  DATABASE_PLATFORM_URL: postgresUrl,
  /** The background jobs' role (src/jobs/). */
  DATABASE_JOBS_URL: postgresUrl,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** API processes sharing PORT (src/index.ts); default: one per core with REDIS_URL, else one (see below). */
  WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** Set by the first API process for the others it starts (src/server/processes.ts): its pid, which they outlive by no more than a second. */
  API_PROCESS_PARENT: z.coerce.number().int().positive().optional(),
  REDIS_URL: optionalUrl(["redis:", "rediss:"]),
  CACHE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "may hold only letters, digits and _ . : - (at most 100)")
    .default("desibazaar"),
  MEILI_URL: optionalUrl(["http:", "https:"]),
  MEILI_MASTER_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  // Search (src/tenancy/search*.ts): every index uid and the token key's name start with this, so deployments and test runs can share one Meilisearch.
  MEILI_INDEX_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, "may hold only letters, digits, _ and - (at most 60)")
    .default("desibazaar"),
  /** The Meilisearch URL clients are told to use with their tenant tokens; default MEILI_URL. */
  MEILI_PUBLIC_URL: optionalUrl(["http:", "https:"]),
  STORAGE_DRIVER: z.enum(["fs", "s3"]).default("fs"),
  STORAGE_PATH: z.string().min(1).optional(),
  // The S3 driver (STORAGE_DRIVER=s3): path-style requests to S3_ENDPOINT/S3_BUCKET/<key>.
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name").optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: optionalUrl(["http:", "https:"]),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** HMAC key for signed download links; generated in DATA_DIR when unset. */
  FILE_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  PAYMENT_ENCRYPTION_KEYS: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  CONTEXT_SIGNING_KEY: z.string().refine(isUsableKey, "must be 32 to 64 bytes").optional(),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  MAX_BUSINESSES_PER_USER: z.coerce.number().int().min(1).max(10_000).default(10),
  TRIAL_PLAN: z.enum(PLAN_IDS).default("standard"),
  BASE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/i, "must be a host name such as desibazaar.test")
    .default("localhost"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FILE: z.string().min(1).optional(),
  PLATFORM_ADMIN_EMAIL: z.email().optional(),
  PLATFORM_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  // Background jobs (src/jobs/).
  SMTP_URL: optionalUrl(["smtp:", "smtps:"]),
  MAIL_FROM: z.email().default("no-reply@desibazaar.local"),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  JOB_TENANT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  JOBS_IN_PROCESS: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  ORDER_HOLD_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
}).superRefine((env, ctx) => {
  // Without Redis each API process would keep its own cache (a flush or an invalidation would reach
  // one process of several) and its own rate-limit buckets (each process allowing the whole plan).
  if ((env.WORKERS ?? 1) > 1 && !env.REDIS_URL) {
    ctx.addIssue({ code: "custom", path: ["WORKERS"], message: "above 1 needs REDIS_URL: the API processes share their cache and rate limits through Redis" });
  }
  // The S3 driver cannot start without these; say so at start-up, not at the first upload.
  if (env.STORAGE_DRIVER !== "s3") return;
  for (const name of ["S3_BUCKET", "S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
    if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when STORAGE_DRIVER=s3" });
  }
}).transform((env) => ({ ...env, WORKERS: env.WORKERS ?? (env.REDIS_URL ? availableParallelism() : 1) }));

export type Env = Readonly<z.infer<typeof envSchema>>;

/** Parses an environment; throws one message that names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable means "unset": `FOO= bun run start` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return Object.freeze(result.data);
}

export const env: Env = parseEnv(process.env);

/** The login roles' URLs the environment gives (DATABASE_APP_URL, ..., DATABASE_JOBS_URL); unset ones are undefined. */
export function roleUrlsFromEnv(source: Env = env): ExplicitRoleUrls {
  return Object.fromEntries(ROLE_KINDS.map((kind) => [kind, source[roleUrlVariable(kind)]]));
}

/** The same variables, for a child process: the other half of roleUrlsFromEnv. */
export function roleUrlsToEnv(urls: RoleUrls): Record<string, string> {
  return Object.fromEntries(ROLE_KINDS.map((kind) => [roleUrlVariable(kind), urls[kind]]));
}

/** The environment handed to child processes we start (tests, embedded services). */
export function processEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}
