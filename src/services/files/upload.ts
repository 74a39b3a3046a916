/**
 * An upload, inside the tenant request's transaction:
 *
 *   permission → name → size → type (sniffed) → room (unlocked pre-check) →
 *   blob written → bytes reserved (locked, binding) → row → audit → commit
 *
 * The blob is written before the reservation so the per-business storage lock is
 * held only for the reservation, the insert and the commit, not for the write.
 * Everything after the write can still fail (a racing upload took the last bytes,
 * the insert or the commit fails): the caller then calls `discard()`, which removes
 * the blob, so a failed upload leaves neither a blob nor a row, and the counter
 * (in the same transaction as the row) never counts what was not kept. A process
 * that dies between the write and the commit leaves only a blob with no row, which
 * the orphan sweep removes (sweep.ts).
 */
import { fileTypeFromBuffer } from "file-type";
import { files } from "../../db/schema/index.ts";
import { LimitExceededError, UnsupportedMediaTypeError, ValidationError } from "../../lib/errors.ts";
import { logger } from "../../lib/logger.ts";
import { cleanDisplayName, storedNameFor } from "../../tenancy/file-names.ts";
import type { FileCategory, StoredFileRef, TenantFiles } from "../../tenancy/files.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import type { TenantAccess } from "../../tenancy/tenant-request.ts";
import { recordAudit } from "../audit/record.ts";
import { checkStorageRoom, reserveStorage } from "../subscriptions/storage.ts";
import { assertMayHandle } from "./find.ts";
import { CATEGORY_RULES, megabytes } from "./rules.ts";

export interface UploadInput {
  category: FileCategory;
  /** The file name the client sent (multipart filename). */
  name: string;
  /**
   * The type the client claims ("" when none). Bun's multipart parser derives a
   * part's type from its filename's extension (it ignores the part's Content-Type),
   * so through POST /files this is what the name claims.
   */
  declaredType: string;
  bytes: Uint8Array;
}

/** The contract's 201 body. */
export interface UploadedFile {
  id: number;
  name: string;
  category: FileCategory;
  size: number;
  contentType: string;
}

/**
 * How much of a file the sniffer reads. file-type walks some formats chunk by chunk
 * (a PNG of empty chunks costs it about 10 ms per 100 KB), so a hostile 10 MB file
 * could burn a second of CPU; every type taken here is recognised well within this.
 */
const SNIFF_BYTES = 256 * 1024;

/** Refusals that need no database: size, then what the bytes really are. */
async function checkContent(input: UploadInput): Promise<{ mime: string; ext: string }> {
  const rule = CATEGORY_RULES[input.category];
  const size = input.bytes.byteLength;
  if (size === 0) throw new ValidationError("The file is empty");
  if (size > rule.maxBytes) {
    throw new LimitExceededError(`${input.category} files may be at most ${megabytes(rule.maxBytes)}; this one is ${megabytes(size)}`, "storage");
  }
  const sniffed = await fileTypeFromBuffer(input.bytes.subarray(0, SNIFF_BYTES));
  if (!sniffed || !rule.types.includes(sniffed.mime)) {
    throw new UnsupportedMediaTypeError(
      `${input.category} files must be ${rule.types.join(", ")}; the content of this file is ${sniffed ? sniffed.mime : "not a recognised type"}`,
    );
  }
  const declared = input.declaredType.split(";")[0]!.trim().toLowerCase();
  if (declared && declared !== "application/octet-stream" && declared !== sniffed.mime) {
    throw new UnsupportedMediaTypeError(`The file claims to be ${declared.slice(0, 100)} but its content is ${sniffed.mime}`);
  }
  return sniffed;
}

export function createUpload(input: UploadInput) {
  let written: { files: TenantFiles; ref: StoredFileRef } | null = null;
  return {
    async run(scope: TenantScope, tenant: TenantAccess): Promise<UploadedFile> {
      assertMayHandle(tenant, input.category);
      const name = cleanDisplayName(input.name);
      const type = await checkContent(input);
      const size = input.bytes.byteLength;
      await checkStorageRoom(scope, size);

      const ref = scope.files.newRef(input.category, storedNameFor(name, type.ext));
      const sha256 = new Bun.CryptoHasher("sha256").update(input.bytes).digest("hex");
      written = { files: scope.files, ref };
      await scope.files.put(ref, input.bytes);

      await reserveStorage(scope, size);
      const [row] = await scope.db
        .insert(files)
        .values({
          businessId: scope.businessId,
          objectId: ref.objectId,
          category: input.category,
          name,
          storedName: ref.storedName,
          contentType: type.mime,
          sizeBytes: size,
          sha256,
          uploadedByUserId: scope.userId,
        })
        .returning({ id: files.id });
      await recordAudit(scope, { action: "file.upload", entityType: "file", entityId: row!.id, details: { category: input.category, size, contentType: type.mime } });
      return { id: row!.id, name, category: input.category, size, contentType: type.mime };
    },

    /** After a failed run: removes the blob if it was written (never throws; the sweep catches what this misses). */
    async discard(): Promise<void> {
      if (!written) return;
      const { files: handle, ref } = written;
      written = null;
      await handle.remove(ref).catch((error: unknown) => logger.warn({ err: error }, "could not remove the blob of a failed upload; the orphan sweep will"));
    },
  };
}
