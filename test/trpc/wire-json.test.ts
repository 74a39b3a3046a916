/**
 * The response serializer writes superjson's format for plain trees and hands
 * everything else to superjson: whatever a procedure returns, a superjson
 * client reads back the same value either way.
 */
import { describe, expect, test } from "bun:test";
import superjson from "superjson";
import fc from "fast-check";
import { isoString, serializeForWire } from "../../src/trpc/wire-json.ts";

const roundTrip = (value: unknown) => superjson.deserialize(serializeForWire(value));
const viaSuperjson = (value: unknown) => superjson.deserialize(superjson.serialize(value));

class Money {
  constructor(readonly cents: number) {}
}
const date = new Date("2026-11-30T06:00:00.123Z");

const cases: [string, unknown][] = [
  ["a list page with dates, nulls and a cursor", { items: [{ id: 1, name: "Chai", createdAt: date, deletedAt: null }, { id: 2, createdAt: new Date(0), tags: ["a", "b"] }], nextCursor: 1 }],
  ["one Date shared by two rows", { a: date, b: date }],
  ["undefined properties and array holes", { a: undefined, b: [1, undefined, 3] }],
  ["a bare Date", date],
  ["a bare string, number, boolean and null", ["x", 1.5, true, null]],
  ["undefined", undefined],
  ["deep nesting", { a: { b: { c: { d: [{ e: date }] } } } }],
  ["an object with no prototype", Object.assign(Object.create(null), { x: 1 })],
  ["unicode and empty keys", { "": 1, "ключ": "значение", "🙂": [date] }],
];
const fallbacks: [string, unknown][] = [
  ["a Map", { m: new Map([["k", 1]]) }],
  ["a Set", [new Set([1, 2])]],
  ["a bigint", { n: 10n }],
  ["NaN and Infinity", { a: Number.NaN, b: Number.POSITIVE_INFINITY }],
  ["an invalid Date", { d: new Date("nope") }],
  ["a key with a dot", { "a.b": date }],
  ["a class instance", { price: new Money(5) }],
  ["a RegExp", { r: /x/g }],
];

describe("plain trees take the fast path", () => {
  for (const [name, value] of cases) {
    test(`${name}: read back as superjson would`, () => {
      expect(roundTrip(value)).toEqual(viaSuperjson(value));
    });
  }
  test("and really are written by it: no referential equalities, dates annotated by path", () => {
    expect(serializeForWire({ a: date, b: date })).toEqual({ json: { a: date.toISOString(), b: date.toISOString() }, meta: { values: { a: ["Date"], b: ["Date"] }, v: 1 } });
    expect(serializeForWire({ a: 1 })).toEqual({ json: { a: 1 } });
  });
});

describe("anything else goes through superjson whole", () => {
  for (const [name, value] of fallbacks) {
    test(name, () => {
      expect(serializeForWire(value)).toEqual(superjson.serialize(value));
      expect(roundTrip(value)).toEqual(viaSuperjson(value));
    });
  }
});

describe("dates are written as toISOString writes them", () => {
  test("for any instant JavaScript can hold, years before 1000 and after 9999 and BC included", () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (d) => {
        expect(isoString(d)).toBe(d.toISOString());
      }),
      { numRuns: 5_000, seed: 20261130 },
    );
  });

  test("at the edges of the formatted range and of each field", () => {
    const edges = ["1000-01-01T00:00:00.000Z", "0999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "+010000-01-01T00:00:00.000Z", "2026-01-09T09:09:09.009Z", "2026-10-10T10:10:10.010Z", "1970-01-01T00:00:00.000Z"];
    for (const edge of edges) expect(isoString(new Date(edge))).toBe(edge);
  });
});
