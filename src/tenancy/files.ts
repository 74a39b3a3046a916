/**
 * File storage, bound to a business. `scope.files` (a TenantFiles) is the only
 * way application code reaches a blob, and this file is the only place a storage
 * key is built:
 *
 *     tenants/{businessId}/{category}/{uuidv7}-{stored name}
 *
 * Every part is checked against a closed pattern before it is joined (the stored
 * name comes from file-names.ts, never from the client as is), and every key a
 * handle reads, writes or deletes must start with its own business's prefix.
 * The uuid is a version 7 uuid, so a key says when it was made: the orphan sweep
 * leaves young blobs alone (an upload writes its blob before its row commits).
 *
 * Download links are signed here too (HMAC-SHA256 over business, file and expiry)
 * with a key that never leaves this module.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { createBlobStore, type BlobInfo, type BlobStore, type BlobStoreConfig } from "./blob-store.ts";
import { STORED_NAME } from "./file-names.ts";

export const FILE_CATEGORIES = ["products", "documents", "invoices", "kyc", "logos", "gallery"] as const;
export type FileCategory = (typeof FILE_CATEGORIES)[number];

/** Where a file's bytes live, as its row records them. */
export interface StoredFileRef {
  category: FileCategory;
  objectId: string;
  storedName: string;
}

/** A blob found under a business's prefix; `ref` is null for a key this module would never have built. */
export interface ListedBlob extends BlobInfo {
  ref: StoredFileRef | null;
  /** When the key was made (from its uuid v7), or the blob's modification time. */
  createdAt: Date;
}

export interface TenantFiles {
  readonly businessId: number;
  /** A fresh reference for a new upload. */
  newRef(category: FileCategory, storedName: string): StoredFileRef;
  put(ref: StoredFileRef, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when the blob is missing. */
  read(ref: StoredFileRef): Promise<Uint8Array | null>;
  remove(ref: StoredFileRef): Promise<void>;
  /** Every blob under this business's prefix. */
  list(): Promise<ListedBlob[]>;
  /** Removes a listed blob (also one with an unrecognised key), only if it is under this business's prefix. */
  removeListed(blob: ListedBlob): Promise<void>;
  /** The signature of a download link for file `fileId` valid until `expiresAt` (unix seconds). */
  signDownload(fileId: number, expiresAt: number): string;
  /** Checks a link's signature (constant time) and that it has not expired at `now`. */
  verifyDownload(fileId: number, expiresAt: number, signature: string, now?: Date): boolean;
}

export interface FileStorage {
  readonly driver: "fs" | "s3";
  forTenant(businessId: number): TenantFiles;
  /** Businesses that have anything under tenants/ (the sweep also finds purged businesses' leftovers). */
  tenantIdsWithBlobs(): Promise<number[]>;
  /** Stores a finished archive (a local file) as archives/{name}; returns its key. */
  putArchive(name: string, path: string): Promise<string>;
  /** An archive's bytes (operators and tests reading one back). */
  readArchive(key: string): Promise<Uint8Array | null>;
  listArchives(): Promise<BlobInfo[]>;
  removeArchive(key: string): Promise<void>;
  dispose(): Promise<void>;
}

export interface FileStorageConfig {
  blobs: BlobStoreConfig;
  /** The link-signing key, or a function giving it (read on first use, so merely building deps writes nothing). */
  signingSecret: string | (() => string);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CATEGORY_PATTERN = FILE_CATEGORIES.join("|");
const KEY = new RegExp(`^tenants/(\\d+)/(${CATEGORY_PATTERN})/([0-9a-f-]{36})-(.+)$`);
const ARCHIVE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export const isFileCategory = (value: string): value is FileCategory => (FILE_CATEGORIES as readonly string[]).includes(value);

function assertBusinessId(businessId: number): void {
  if (!Number.isSafeInteger(businessId) || businessId <= 0) throw new TypeError("file storage needs a positive integer business id");
}

const tenantPrefix = (businessId: number) => `tenants/${businessId}/`;

/** The one key builder. Throws (a bug, not bad input: refs come from the server) when any part is off-pattern. */
export function storageKey(businessId: number, ref: StoredFileRef): string {
  assertBusinessId(businessId);
  if (!isFileCategory(ref.category)) throw new TypeError("unknown file category");
  if (!UUID.test(ref.objectId)) throw new TypeError("a file's object id must be a version 7 uuid");
  if (!STORED_NAME.test(ref.storedName)) throw new TypeError("a stored file name must come from storedNameFor");
  return `${tenantPrefix(businessId)}${ref.category}/${ref.objectId}-${ref.storedName}`;
}

/** The ref a key was built from, or null when this module would never have built it. */
export function parseStorageKey(businessId: number, key: string): StoredFileRef | null {
  const m = KEY.exec(key);
  if (!m || Number(m[1]) !== businessId) return null;
  const ref = { category: m[2] as FileCategory, objectId: m[3]!, storedName: m[4]! };
  return UUID.test(ref.objectId) && STORED_NAME.test(ref.storedName) ? ref : null;
}

/** The millisecond timestamp in the first 48 bits of a uuid v7. */
export const uuidV7Time = (uuid: string) => new Date(Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16));

function linkSigner(secret: FileStorageConfig["signingSecret"]) {
  let key: KeyObject | undefined;
  const mac = (businessId: number, fileId: number, expiresAt: number) => {
    key ??= createSecretKey(Buffer.from(typeof secret === "function" ? secret() : secret, "utf8"));
    return createHmac("sha256", key).update(`file-download:v1:${businessId}:${fileId}:${expiresAt}`).digest();
  };
  return {
    sign: (businessId: number, fileId: number, expiresAt: number) => mac(businessId, fileId, expiresAt).toString("base64url"),
    verify(businessId: number, fileId: number, expiresAt: number, signature: string, now: Date): boolean {
      if (!Number.isSafeInteger(fileId) || fileId <= 0 || !Number.isSafeInteger(expiresAt)) return false;
      if (!SIGNATURE.test(signature) || expiresAt * 1000 <= now.getTime()) return false;
      return timingSafeEqual(Buffer.from(signature, "base64url"), mac(businessId, fileId, expiresAt));
    },
  };
}

function tenantFiles(store: BlobStore, signer: ReturnType<typeof linkSigner>, businessId: number): TenantFiles {
  assertBusinessId(businessId);
  const prefix = tenantPrefix(businessId);
  const listed = (blob: BlobInfo): ListedBlob => {
    const ref = parseStorageKey(businessId, blob.key);
    return { ...blob, ref, createdAt: ref ? uuidV7Time(ref.objectId) : blob.modifiedAt };
  };
  return {
    businessId,
    newRef: (category, storedName) => {
      const ref = { category, objectId: Bun.randomUUIDv7(), storedName };
      storageKey(businessId, ref); // refuse now, not at write time
      return ref;
    },
    put: (ref, bytes) => store.put(storageKey(businessId, ref), bytes),
    read: (ref) => store.get(storageKey(businessId, ref)),
    remove: (ref) => store.remove(storageKey(businessId, ref)),
    list: async () => (await store.list(prefix)).filter((b) => b.key.startsWith(prefix)).map(listed),
    async removeListed(blob) {
      if (!blob.key.startsWith(prefix) || blob.key.split("/").some((part) => part === "" || part === "." || part === "..")) {
        throw new TypeError("refusing to remove a key outside this business's prefix");
      }
      await store.remove(blob.key);
    },
    signDownload: (fileId, expiresAt) => signer.sign(businessId, fileId, expiresAt),
    verifyDownload: (fileId, expiresAt, signature, now = new Date()) => signer.verify(businessId, fileId, expiresAt, signature, now),
  };
}

export function createFileStorage(config: FileStorageConfig): FileStorage {
  const store = createBlobStore(config.blobs);
  const signer = linkSigner(config.signingSecret);
  const archiveKey = (name: string) => {
    if (!ARCHIVE_NAME.test(name) || name.includes("..")) throw new TypeError("bad archive name");
    return `archives/${name}`;
  };
  return {
    driver: store.driver,
    forTenant: (businessId) => tenantFiles(store, signer, businessId),
    async tenantIdsWithBlobs() {
      return (await store.children("tenants/")).filter((name) => /^[1-9]\d{0,15}$/.test(name)).map(Number).filter(Number.isSafeInteger);
    },
    async putArchive(name, path) {
      const key = archiveKey(name);
      await store.putFile(key, path);
      return key;
    },
    readArchive: (key) => store.get(archiveKey(key.replace(/^archives\//, ""))),
    listArchives: () => store.list("archives/"),
    removeArchive: (key) => store.remove(archiveKey(key.replace(/^archives\//, ""))),
    dispose: () => store.dispose(),
  };
}
