import { deleteFile } from "../../services/files/delete.ts";
import { downloadUrl } from "../../services/files/download-url.ts";
import { listFiles } from "../../services/files/list.ts";
import { DownloadUrl, DownloadUrlInput, FileDeleted, FileIdInput, FilePage, ListFilesInput, StorageUsage } from "../../services/files/schemas.ts";
import { storageUsage } from "../../services/subscriptions/storage.ts";
import { router } from "../init.ts";
import { tenantProcedureWith } from "../procedures.ts";

/**
 * A business's files. Uploads are `POST /files/:category` (multipart, src/http/files.ts);
 * downloads are signed links from getDownloadUrl, served by `GET /files/:id`.
 * Members with files:read see and link files, files:write may delete; KYC files are the owner's alone.
 */
export const filesRouter = router({
  list: tenantProcedureWith("files:read").input(ListFilesInput).output(FilePage).query(async ({ ctx, input }) => listFiles(ctx.scope, await ctx.tenant, input)),
  getDownloadUrl: tenantProcedureWith("files:read").input(DownloadUrlInput).output(DownloadUrl).query(async ({ ctx, input }) => downloadUrl(ctx.scope, await ctx.tenant, input)),
  delete: tenantProcedureWith("files:write").input(FileIdInput).output(FileDeleted).mutation(async ({ ctx, input }) => deleteFile(ctx.scope, await ctx.tenant, input.id)),
  usage: tenantProcedureWith("files:read").output(StorageUsage).query(({ ctx }) => storageUsage(ctx.scope)),
});
