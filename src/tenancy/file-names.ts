/**
 * What a client calls a file never becomes a storage path as is. A name has two
 * lives here:
 *
 * - the display name: what the client sent, cut to its last path segment and
 *   cleaned of invisible characters (bidi overrides would let "gnp.exe" read as
 *   "exe.png"); kept for lists and the download's Content-Disposition. Names with
 *   control characters (NUL included) or past 255 characters are refused.
 * - the stored name: the last segment of the storage key, rebuilt from the display
 *   name in [A-Za-z0-9-] plus the extension of the type the bytes really are
 *   (content sniffing), so "../../etc/passwd", "%2e%2e", "a\b" or "文件.png" can
 *   never name a directory, a dot segment or an unstorage separator (":" and "/").
 */
import { ValidationError } from "../lib/errors.ts";

export const MAX_NAME_LENGTH = 255;

/** Zero-width and bidi formatting characters: invisible, and able to reorder what a person reads. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Half a surrogate pair cannot be encoded as UTF-8 (the database and the download header would both fail). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The name shown to people; throws ValidationError for names no honest client sends. */
export function cleanDisplayName(raw: string): string {
  if (raw.length > MAX_NAME_LENGTH) throw new ValidationError(`The file name is longer than ${MAX_NAME_LENGTH} characters`);
  if (CONTROL.test(raw)) throw new ValidationError("The file name contains control characters");
  if (LONE_SURROGATE.test(raw)) throw new ValidationError("The file name is not valid Unicode");
  const lastSegment = raw.normalize("NFC").split(/[/\\]/).pop() ?? "";
  const name = lastSegment.replace(INVISIBLE, "").trim();
  return name === "" || name === "." || name === ".." ? "file" : name;
}

/** The key's name part: ASCII letters, digits and dashes, then the sniffed extension. */
export function storedNameFor(displayName: string, extension: string): string {
  const stem = displayName
    .replace(/\.[^.]*$/, "") // the client's extension says nothing; the sniffed one is used
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // é → e
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const ext = extension.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 10);
  return `${stem || "file"}${ext ? `.${ext}` : ""}`;
}

/** What a stored name may be (storedNameFor makes a subset: no "_"); the database checks the same (files_stored_name_safe). */
export const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}(\.[a-z0-9]{1,10})?$/;

const rfc5987 = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A Content-Disposition header safe for any display name: an ASCII fallback
 * with nothing that could end the quoted string, and the exact name as RFC 5987
 * UTF-8 (percent-encoded, so no character can break the header).
 */
export function contentDisposition(displayName: string, disposition: "inline" | "attachment"): string {
  const ascii = displayName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%;]/g, "_").trim() || "file";
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${rfc5987(displayName)}`;
}
