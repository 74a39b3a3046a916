/**
 * Inputs for the fuzz test, derived from each procedure's zod input schema
 * (through z.toJSONSchema): a valid value first, then mutations of one field
 * (or of the whole input) through wrong types, boundaries, hostile strings and
 * huge or deeply nested values. Known ids and tenant refs (the caller's own,
 * another business's, missing ones) are mixed into id-like fields.
 */
import fc from "fast-check";
import { z } from "zod";

type JsonSchema = {
  type?: string;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
};

/** Values from outside the schema's world that a test arena supplies: ids that exist (here and elsewhere) and tenant refs. */
export interface KnownValues {
  /** Ids of any kind, for any id-shaped field. */
  ids: number[];
  /** Ids for fields of that name (productId, serviceId, ...), so a field mostly gets an id of the right kind. */
  byField: Record<string, number[]>;
  tenantRefs: string[];
}

const DATE_FORMAT = "js-date";

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if ((ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def.type === "date") ctx.jsonSchema.format = DATE_FORMAT;
    },
  }) as JsonSchema;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

function integer(s: JsonSchema, known: KnownValues, key: string): fc.Arbitrary<number> {
  const min = Math.max(INT_MIN, s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000));
  const max = Math.min(INT_MAX, s.maximum ?? 1000);
  const plain = fc.integer({ min, max: Math.max(min, max) });
  if (s.exclusiveMinimum !== 0) return plain;
  // An id-shaped field (positive integers): mostly one that exists, of its kind, here or in another business.
  const own = known.byField[key] ?? [];
  const options = [own.length ? { arbitrary: fc.constantFrom(...own), weight: 4 } : null, known.ids.length ? { arbitrary: fc.constantFrom(...known.ids), weight: 2 } : null, { arbitrary: plain, weight: 1 }];
  return fc.oneof(...options.filter((o) => o !== null));
}

function text(s: JsonSchema, known: KnownValues, key: string): fc.Arbitrary<string> {
  if (/^tenant(Ref|Key)$/.test(key) && known.tenantRefs.length) return fc.constantFrom(...known.tenantRefs);
  if (s.format === "uuid") return fc.uuid({ version: 4 });
  if (s.format === "email") return fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/).map((local) => `${local}@fuzz.example.test`);
  const maxLength = Math.min(s.maxLength ?? 40, 40);
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? Infinity) && v.length >= (s.minLength ?? 0));
  return fc.string({ minLength: Math.min(s.minLength ?? 0, maxLength), maxLength, unit: "grapheme" });
}

/** A value the schema accepts (mostly: refinements and business rules are not in the JSON schema). */
export function validValue(s: JsonSchema, known: KnownValues, key = ""): fc.Arbitrary<unknown> {
  if (s.anyOf) return fc.oneof(...s.anyOf.map((option) => validValue(option, known, key)));
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.format === DATE_FORMAT) return fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true });
  switch (s.type) {
    case "integer":
      return integer(s, known, key);
    case "number":
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case "string":
      return text(s, known, key);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(validValue(s.items ?? {}, known, key), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    case "object": {
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, validValue(v, known, k)]));
      return fc.record(props, { requiredKeys: s.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const nested = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { a: nested(depth - 1, leaf) });

const HOSTILE_STRINGS = [
  "",
  "   ",
  "\u0000",
  "a\u0000b",
  "ab\ud800",
  "\udfff",
  "\u202eevil",
  "😀",
  "' or 1=1 --",
  "%_\\",
  "${7*7}",
  "__proto__",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "x".repeat(100_001),
  "é".repeat(5_000),
];
const BOUNDARIES = [0, -1, -0, 0.5, 1.5, NaN, Infinity, -Infinity, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), Number.MAX_VALUE, Number.MIN_VALUE, 1e21];
const WRONG_TYPES = [null, true, false, [], {}, "1", 1, [1], { id: 1 }, "true", undefined];
/** Dates PostgreSQL cannot hold, the last one inputs may name, and invalid ones. */
const HOSTILE_DATES = [new Date(8.64e15), new Date(-8.64e15), new Date(Number.NaN), new Date("9999-12-31T23:59:59Z"), new Date(0)];
const HUGE = [Array.from({ length: 5_000 }, (_, i) => i), nested(300, 1), Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i]))];

/** What an attacker sends instead of a well-formed value: mostly what is worst for the field's own type. */
export function hostileFor(s: JsonSchema): fc.Arbitrary<unknown> {
  const type = s.format === DATE_FORMAT ? "date" : (s.type ?? s.anyOf?.[0]?.type ?? "any");
  const own = { string: HOSTILE_STRINGS, integer: BOUNDARIES, number: BOUNDARIES, date: HOSTILE_DATES, array: HUGE, object: HUGE }[type] ?? HOSTILE_STRINGS;
  return fc.oneof(
    { arbitrary: fc.constantFrom<unknown>(...own), weight: 4 },
    { arbitrary: fc.constantFrom<unknown>(...WRONG_TYPES, ...HUGE), weight: 1 },
    { arbitrary: fc.anything({ maxDepth: 3, withDate: true, withNullPrototype: true }), weight: 1 },
  );
}

/** One of each kind of trouble, for the systematic cases: every field gets every one. */
const REPRESENTATIVES = ["a\u0000b", "ab\ud800", "x".repeat(100_001), -1, 2 ** 53 + 2, NaN, null, new Date("9999-12-31T23:59:59Z"), new Date(8.64e15), nested(300, 1), HUGE[0]];

export type Mutation = { kind: "valid" } | { kind: "field"; path: string } | { kind: "whole" } | { kind: "extra keys" };

/** Replaces the value at `path` (dot-separated) in a copy of `input`. */
function withValueAt(input: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  const base = Array.isArray(input) ? [...input] : { ...(input as Record<string, unknown>) };
  (base as Record<string, unknown>)[head!] = withValueAt((input as Record<string, unknown> | undefined)?.[head!], rest, value);
  return base;
}

/** Field paths of a JSON schema (nested objects and the first item of arrays), with each field's schema. */
function fieldPaths(s: JsonSchema, prefix: string[] = []): { path: string[]; schema: JsonSchema }[] {
  const props = s.properties ? Object.entries(s.properties) : [];
  return props.flatMap(([k, v]) => [{ path: [...prefix, k], schema: v }, ...fieldPaths(v.items ?? v, [...prefix, k, ...(v.items ? ["0"] : [])])]);
}

export interface InputCase {
  mutation: Mutation;
  input: unknown;
}

/** A case: the input to send and how it was made (printed when a property fails). */
export function inputCases(schema: z.ZodType | undefined, known: KnownValues): fc.Arbitrary<InputCase> {
  if (!schema) return fc.oneof(fc.constant<InputCase>({ mutation: { kind: "valid" }, input: undefined }), hostileFor({}).map((input): InputCase => ({ mutation: { kind: "whole" }, input })));
  const json = jsonSchemaOf(schema);
  const valid = validValue(json, known);
  const paths = fieldPaths(json);
  const cases: { arbitrary: fc.Arbitrary<InputCase>; weight: number }[] = [
    { arbitrary: valid.map((input): InputCase => ({ mutation: { kind: "valid" }, input })), weight: 3 },
    { arbitrary: hostileFor(json).map((input): InputCase => ({ mutation: { kind: "whole" }, input })), weight: 1 },
    // Unknown fields, "__proto__" and "constructor" as own keys (JSON.parse makes them so): stripped, never merged.
    { arbitrary: valid.map((input): InputCase => ({ mutation: { kind: "extra keys" }, input: { ...(input as object), ...JSON.parse(POLLUTION), unknownField: "x".repeat(1000) } })), weight: 1 },
  ];
  if (paths.length) {
    const field = fc.constantFrom(...paths).chain(({ path, schema: s }) => hostileFor(s).map((value) => ({ path, value })));
    cases.push({ arbitrary: fc.tuple(valid, field).map(([input, { path, value }]): InputCase => ({ mutation: { kind: "field", path: path.join(".") }, input: withValueAt(input, path, value) })), weight: 5 });
  }
  return fc.oneof(...cases);
}

const POLLUTION = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';

/**
 * The systematic cases: one valid input (the schema accepts it), then that input
 * with each field in turn set to each REPRESENTATIVE: a field the random cases
 * rarely pick still gets every kind of trouble.
 */
export function systematicCases(schema: z.ZodType | undefined, known: KnownValues, seed: number): InputCase[] {
  if (!schema) return [{ mutation: { kind: "valid" }, input: undefined }];
  const json = jsonSchemaOf(schema);
  // The JSON schema misses refinements: keep the first candidate the zod schema accepts (or, failing that, the first).
  const candidates = fc.sample(validValue(json, known), { seed, numRuns: 200 });
  const base = candidates.find((v) => schema.safeParse(v).success) ?? candidates[0];
  const fields = fieldPaths(json).flatMap(({ path }) =>
    REPRESENTATIVES.map((value): InputCase => ({ mutation: { kind: "field", path: path.join(".") }, input: withValueAt(base, path, value) })),
  );
  return [{ mutation: { kind: "valid" }, input: base }, ...fields];
}
