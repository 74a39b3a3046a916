import { z } from "zod";
import { FILE_CATEGORIES } from "../../tenancy/files.ts";
import { Id, OutText } from "../../lib/schemas.ts";

export const FileCategoryInput = z.enum(FILE_CATEGORIES);

export const ListFilesInput = z
  .object({ category: FileCategoryInput.optional(), cursor: Id.optional(), limit: z.number().int().min(1).max(100).default(20) })
  .default({ limit: 20 });
export type ListFilesInput = z.infer<typeof ListFilesInput>;

export const FileIdInput = z.object({ id: Id });
export type FileIdInput = z.infer<typeof FileIdInput>;

/** Links last 15 minutes unless asked otherwise; at most a week. */
export const DownloadUrlInput = z.object({ id: Id, expiresInSeconds: z.number().int().min(60).max(7 * 86_400).default(900) });
export type DownloadUrlInput = z.infer<typeof DownloadUrlInput>;

export const SetLogoInput = z.object({ fileId: Id.nullable() });
export type SetLogoInput = z.infer<typeof SetLogoInput>;

/** What the API says about a file (never the storage key). */
export const FileView = z.object({
  id: z.number(),
  name: OutText,
  category: z.enum(FILE_CATEGORIES),
  size: z.number(),
  contentType: OutText,
  createdAt: z.date(),
});
export type FileView = z.infer<typeof FileView>;

export const FilePage = z.object({ items: z.array(FileView), nextCursor: z.number().nullable() });
export const DownloadUrl = z.object({ url: OutText, expiresAt: z.date() });
export const FileDeleted = z.object({ id: z.number(), deleted: z.literal(true) });
export const StorageUsage = z.object({ usedBytes: z.number(), limitBytes: z.number().nullable() });
export const LogoSet = z.object({ logoFileId: z.number().nullable() });
