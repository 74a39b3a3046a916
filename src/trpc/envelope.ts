/**
 * Request inputs arrive as superjson envelopes: `{ json, meta? }`. superjson
 * trusts `meta` (a string where it expects a tree recurses until the stack
 * overflows; a string where it expects paths throws its own source text), so
 * an envelope is checked here before superjson reads it, and whatever superjson
 * still throws becomes a BAD_REQUEST with our own message.
 */
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { serializeForWire } from "./wire-json.ts";

/** What our inputs need annotated: dates, fields set to undefined, NaN and ±Infinity (which the schemas then refuse). */
const VALUE_TYPES = new Set(["Date", "undefined", "number"]);
const MAX_ANNOTATIONS = 1000;
const MAX_PATH = 1000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isLeaf = (node: unknown) => Array.isArray(node) && node.length === 1 && VALUE_TYPES.has(node[0] as string);
const isPath = (p: unknown) => typeof p === "string" && p.length <= MAX_PATH;
const isPathList = (v: unknown) => Array.isArray(v) && v.length <= MAX_ANNOTATIONS && v.every(isPath);

/** `values`: one annotation for the whole input (`["Date"]`) or one per path (`{ "a.b": ["Date"] }`). */
function valuesAreWellFormed(values: unknown): boolean {
  if (values === undefined || isLeaf(values)) return true;
  if (!isRecord(values)) return false;
  const entries = Object.entries(values);
  return entries.length <= MAX_ANNOTATIONS && entries.every(([path, node]) => isPath(path) && isLeaf(node));
}

/** `referentialEqualities`: `{ path: [paths] }`, or `[rootPaths]`, or `[rootPaths, { path: [paths] }]`. */
function equalitiesAreWellFormed(eq: unknown): boolean {
  const isMap = (v: unknown) => isRecord(v) && Object.keys(v).length <= MAX_ANNOTATIONS && Object.entries(v).every(([k, paths]) => isPath(k) && isPathList(paths));
  if (eq === undefined || isMap(eq)) return true;
  return Array.isArray(eq) && (eq.length === 1 || eq.length === 2) && isPathList(eq[0]) && (eq.length === 1 || isMap(eq[1]));
}

function malformed(detail: string): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message: `Malformed request: ${detail}` });
}

/** superjson's deserialize for request inputs, refusing what it would choke on. */
export function deserializeInput(payload: unknown): unknown {
  if (!isRecord(payload)) throw malformed("the input must be an envelope { json, meta? }");
  const { meta } = payload;
  if (meta !== undefined && !isRecord(meta)) throw malformed("meta must be an object");
  if (meta && !valuesAreWellFormed(meta.values)) throw malformed("meta.values must annotate paths with Date, undefined or number");
  if (meta && !equalitiesAreWellFormed(meta.referentialEqualities)) throw malformed("meta.referentialEqualities must list paths");
  try {
    return superjson.deserialize({ json: payload.json as never, meta: meta as never });
  } catch {
    throw malformed("the input envelope could not be read");
  }
}

/**
 * The transformer: inputs through deserializeInput; outputs in superjson's format,
 * written by serializeForWire (src/trpc/wire-json.ts) without superjson's generic walk.
 */
export const transformer = {
  input: { serialize: (value: unknown) => superjson.serialize(value), deserialize: deserializeInput },
  output: { serialize: serializeForWire, deserialize: superjson.deserialize },
};
