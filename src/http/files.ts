/**
 * The file routes that are not tRPC: uploads are multipart and downloads are
 * plain bytes behind a signed link.
 *
 *   POST /files/:category  multipart, field `file` → 201 { id, name, category, size, contentType }
 *   GET  /files/:id?t=&exp=&sig=                  → the bytes (403 bad or expired link, 404 deleted)
 *
 * Uploads go through withTenantRequest, the same door as tenantProcedure (token,
 * tenant selection, session, status, membership, request rate). Errors are mapped
 * by the tRPC error map (src/trpc/errors.ts), so a refusal has the same code here
 * as in a procedure, in the `{ error: { code, message, requestId } }` envelope.
 */
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { Hono, type Context as HonoContext } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { LimitExceededError, RateLimitedError, UnauthorizedError, ValidationError } from "../lib/errors.ts";
import { logger } from "../lib/logger.ts";
import { CATEGORY_RULES, dispositionFor, megabytes } from "../services/files/rules.ts";
import { findDownload } from "../services/files/serve.ts";
import { createUpload } from "../services/files/upload.ts";
import { contentDisposition } from "../tenancy/file-names.ts";
import { isFileCategory } from "../tenancy/files.ts";
import { isUuid } from "../tenancy/tenant-ref.ts";
import { errorJson, requestMeta } from "./request-meta.ts";
import { currentContext } from "../tenancy/request-context.ts";
import { createContext, type AppDeps } from "../trpc/context.ts";
import { genericMessage, toTRPCError } from "../trpc/errors.ts";
import { withTenantRequest } from "../trpc/procedures.ts";

/** Multipart headers and boundaries around the file: generous, and still far under Bun's 128 MiB. */
const MULTIPART_OVERHEAD = 64 * 1024;

function errorResponse(c: HonoContext, error: unknown): Response {
  const mapped = toTRPCError(error instanceof TRPCError ? error : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error }));
  if (mapped.code === "INTERNAL_SERVER_ERROR") {
    logger.error({ err: error }, "file request failed");
    return errorJson(c, 500, mapped.code, genericMessage(currentContext()?.requestId));
  }
  if (error instanceof RateLimitedError) c.header("Retry-After", String(error.retryAfterSeconds));
  return errorJson(c, getHTTPStatusCodeFromError(mapped) as ContentfulStatusCode, mapped.code, mapped.message);
}

const refuse = (c: HonoContext, status: 403 | 404, message: string) => errorJson(c, status, status === 403 ? "FORBIDDEN" : "NOT_FOUND", message);

/** The body, read up to `max` bytes: a larger one is refused as soon as it passes the limit, a broken one is BAD_REQUEST. */
async function readBody(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  const tooLarge = () => new LimitExceededError(`An upload may be at most ${megabytes(max - MULTIPART_OVERHEAD)}`, "storage");
  if (declared > max) throw tooLarge();
  if (!request.body) throw new ValidationError("Send the file as multipart/form-data in a field named file");
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of request.body) {
      size += chunk.byteLength;
      if (size > max) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof LimitExceededError) throw error;
    throw new ValidationError("The upload ended before the whole file arrived");
  }
  return Buffer.concat(chunks);
}

async function fileField(request: Request, category: keyof typeof CATEGORY_RULES): Promise<File> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) throw new ValidationError("Send the file as multipart/form-data in a field named file");
  const body = await readBody(request, CATEGORY_RULES[category].maxBytes + MULTIPART_OVERHEAD);
  const form = await new Response(body, { headers: { "content-type": type } }).formData().catch(() => {
    throw new ValidationError("The upload is not well-formed multipart/form-data (or ended early)");
  });
  const file = form.get("file");
  if (!(file instanceof File)) throw new ValidationError("Send the file in a multipart field named file");
  return file;
}

/**
 * A link's tenantKey → business id, through the resolver tenant requests use
 * (cached in-process and in the shared cache, forgotten when a business is
 * purged). Links carry the key, never a slug: slugs can change hands.
 */
const linkBusiness = (deps: AppDeps, key: string): Promise<number | undefined> =>
  isUuid(key) ? deps.admission.policies.businessIdFor(key.toLowerCase()) : Promise.resolve(undefined);

export function fileRoutes(deps: AppDeps): Hono {
  const routes = new Hono();

  routes.post("/:category", async (c) => {
    try {
      const category = c.req.param("category");
      if (!isFileCategory(category)) throw new ValidationError(`Unknown file category; use one of ${Object.keys(CATEGORY_RULES).join(", ")}`);
      const ctx = await createContext(deps, requestMeta(c, deps));
      // A request without a valid token is refused before its body is read.
      if (!ctx.principal) throw new UnauthorizedError("Sign in first: send Authorization: Bearer <accessToken>");
      if (!ctx.principal.ok) throw ctx.principal.error;
      const file = await fileField(c.req.raw, category);
      const upload = createUpload({ category, name: file.name, declaredType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) });
      try {
        return c.json(await withTenantRequest(ctx, { readOnly: false, permission: "files:write" }, async (scope, tenant) => upload.run(scope, await tenant)), 201);
      } catch (error) {
        await upload.discard();
        throw error;
      }
    } catch (error) {
      return errorResponse(c, error);
    }
  });

  routes.get("/:id", async (c) => {
    try {
      const raw = c.req.param("id");
      const fileId = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(fileId)) return refuse(c, 404, "File not found");
      const { t = "", exp = "", sig = "" } = c.req.query();
      const expiresAt = /^\d{1,12}$/.test(exp) ? Number(exp) : Number.NaN;
      // Expired or malformed links cost no database work.
      if (!(expiresAt * 1000 > Date.now()) || !sig || !t) return refuse(c, 403, "This download link is invalid or has expired");
      const businessId = await linkBusiness(deps, t);
      if (businessId === undefined || !deps.files.forTenant(businessId).verifyDownload(fileId, expiresAt, sig)) {
        return refuse(c, 403, "This download link is invalid or has expired");
      }
      const download = await deps.scopes.asTenant(businessId, (scope) => findDownload(scope, fileId), { readOnly: true });
      const bytes = await download.read();
      if (!bytes) {
        logger.warn({ businessId, fileId }, "a file row has no blob; the orphan sweep will remove the row");
        return refuse(c, 404, "File not found");
      }
      return new Response(bytes, {
        headers: {
          "content-type": download.contentType,
          "content-length": String(bytes.byteLength),
          "content-disposition": contentDisposition(download.name, dispositionFor(download.contentType)),
          // The bytes were sniffed on upload; the browser must not guess again, nor run anything in them.
          "x-content-type-options": "nosniff",
          "content-security-policy": "default-src 'none'; sandbox",
          // A deleted file's link must die with it: nothing keeps a copy.
          "cache-control": "private, no-store",
        },
      });
    } catch (error) {
      return errorResponse(c, error);
    }
  });

  return routes;
}
