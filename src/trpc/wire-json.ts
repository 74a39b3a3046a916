/**
 * The response side of the superjson transformer, for the values procedures
 * actually return: trees of plain objects and arrays holding strings, finite
 * numbers, booleans, null, undefined and Dates. Those are written in superjson's
 * own format ({ json, meta: { values } }, which any superjson client reads) by
 * one walk, without superjson's generic machinery: its type registry, its
 * prototype checks on every node and its search for objects seen twice. That
 * search is what lets a client rebuild shared references, which no procedure
 * relies on (a Date seen twice arrives as two equal Dates).
 *
 * Anything else anywhere in the value (a Map, a Set, a bigint, a class instance,
 * NaN, a key with a dot) makes the whole value go through superjson.serialize,
 * so nothing is ever written in a way superjson would not read back.
 */
import superjson from "superjson";

type Annotations = Record<string, [string]>;
type SuperJSONResult = ReturnType<typeof superjson.serialize>;

/** Thrown inside the walk when a value needs superjson itself. */
const NEEDS_SUPERJSON = Symbol("needs superjson");

/** Two digits, three digits: Date's own toISOString costs twice this formatting in Bun. */
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** What toISOString gives, for years 1000 to 9999; the rest (rare) goes through toISOString itself. */
export function isoString(date: Date): string {
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return date.toISOString();
  return `${year}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}.${pad3(date.getUTCMilliseconds())}Z`;
}

/**
 * Walks `value`, found under `key` in a container whose own path is `prefix`
 * (with its trailing dot). The dotted path, superjson's annotation key, is
 * built only past the leaves: a string, number or boolean never needs one.
 */
function walk(value: unknown, prefix: string, key: string | number, annotations: Annotations): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(value)) return value;
      throw NEEDS_SUPERJSON;
    case "undefined":
      annotations[`${prefix}${key}`] = ["undefined"];
      return null;
    case "object":
      break;
    default:
      throw NEEDS_SUPERJSON;
  }
  const path = `${prefix}${key}`;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw NEEDS_SUPERJSON;
    annotations[path] = ["Date"];
    return isoString(value);
  }
  const inner = path === "" ? "" : `${path}.`;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = walk(value[i], inner, i, annotations);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw NEEDS_SUPERJSON;
  const out: Record<string, unknown> = {};
  for (const name in value as Record<string, unknown>) {
    if (name.includes(".") || name.includes("\\") || name === "__proto__") throw NEEDS_SUPERJSON;
    out[name] = walk((value as Record<string, unknown>)[name], inner, name, annotations);
  }
  return out;
}

export function serializeForWire(value: unknown): SuperJSONResult {
  const annotations: Annotations = {};
  let json: unknown;
  try {
    json = walk(value, "", "", annotations);
  } catch (error) {
    if (error === NEEDS_SUPERJSON) return superjson.serialize(value);
    throw error;
  }
  const paths = Object.keys(annotations);
  if (!paths.length) return { json } as SuperJSONResult;
  // A value that is itself a Date (or undefined) is annotated at the root, as a bare list.
  const values = paths.length === 1 && paths[0] === "" ? annotations[""] : annotations;
  return { json, meta: { values, v: 1 } } as unknown as SuperJSONResult;
}
