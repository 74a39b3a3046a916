import { sql } from "drizzle-orm";
import { bigint, check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantColumns, tenantKeys } from "./tenant-table.ts";

export const fileCategory = pgEnum("file_category", ["products", "documents", "invoices", "kyc", "logos", "gallery"]);

/**
 * A business's files: one row per blob at tenants/{business_id}/{category}/{object_id}-{stored_name}
 * (the key is rebuilt from these columns by src/tenancy/files.ts, never stored as text a
 * client could have shaped). `name` is the cleaned display name; `content_type` is what the
 * bytes were sniffed to be; `sha256` goes into the archive manifest.
 */
export const files = pgTable(
  "files",
  {
    ...tenantColumns(),
    objectId: uuid("object_id").notNull(),
    category: fileCategory("category").notNull(),
    name: text("name").notNull(),
    storedName: text("stored_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    uploadedByUserId: id("uploaded_by_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys(t),
    uniqueIndex("files_object_id_key").on(t.businessId, t.objectId),
    index("files_category_idx").on(t.businessId, t.category, t.id),
    check("files_size_nonnegative", sql`${t.sizeBytes} >= 0`),
    // The same rule as STORED_NAME in src/tenancy/file-names.ts: no separator, no dot segment, ever.
    check("files_stored_name_safe", sql`${t.storedName} ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,59}(\\.[a-z0-9]{1,10})?$'`),
  ],
);
