/**
 * Real PNG bytes of a chosen size, for the file tests and the files benchmark:
 * what the upload sniffer walks must be a well-formed PNG, not a bare signature.
 * Kept apart from support.ts so the benchmark can use it without the test harness.
 */
import { deflateSync } from "node:zlib";

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, Bun.hash.crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A valid 1x1 PNG, padded with a text chunk to about `size` bytes, unique per call. */
export function png(size = 200): Uint8Array {
  const ihdr = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  const idat = deflateSync(new Uint8Array([0, 255, 0, 0, 255]));
  const base = 8 + 25 + (12 + idat.length) + 12;
  const text = new TextEncoder().encode(`Comment\0${crypto.randomUUID()}`.padEnd(Math.max(45, size - base - 12), "."));
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("tEXt", text), chunk("IDAT", idat), chunk("IEND", new Uint8Array())];
  return Buffer.concat(parts);
}
