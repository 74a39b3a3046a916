/**
 * What each category takes: a size limit and the types its bytes may be (decided
 * by content sniffing, never by the name or the declared mimetype), and who may
 * upload. The limits stay under the server's 64 MiB request-body cap (src/server/serve.ts).
 */
import type { FileCategory } from "../../tenancy/files.ts";

const MiB = 1_048_576;
const JPEG = "image/jpeg";
const PNG = "image/png";
const WEBP = "image/webp";
const GIF = "image/gif";
const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export interface CategoryRule {
  maxBytes: number;
  types: readonly string[];
  /** KYC documents identify the owner: only the owner uploads, lists, downloads or deletes them. */
  ownerOnly: boolean;
}

export const CATEGORY_RULES: Record<FileCategory, CategoryRule> = {
  products: { maxBytes: 5 * MiB, types: [JPEG, PNG, WEBP, GIF], ownerOnly: false },
  gallery: { maxBytes: 10 * MiB, types: [JPEG, PNG, WEBP, GIF], ownerOnly: false },
  logos: { maxBytes: 2 * MiB, types: [JPEG, PNG, WEBP], ownerOnly: false },
  documents: { maxBytes: 20 * MiB, types: [PDF, JPEG, PNG, WEBP, DOCX, XLSX], ownerOnly: false },
  invoices: { maxBytes: 10 * MiB, types: [PDF, JPEG, PNG], ownerOnly: false },
  kyc: { maxBytes: 10 * MiB, types: [PDF, JPEG, PNG], ownerOnly: true },
};


/** Raster images are shown inline (an <img> or a browser tab); everything else downloads. */
export const dispositionFor = (contentType: string): "inline" | "attachment" => ([JPEG, PNG, WEBP, GIF].includes(contentType) ? "inline" : "attachment");

export const megabytes = (bytes: number) => `${(bytes / MiB).toFixed(1)} MB`;
