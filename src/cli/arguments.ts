/**
 * Reading what an operator typed after a verb of `bun run tenant`. Anything
 * wrong with it is a UsageError (exit 2, with the verb's usage) that says which
 * argument and what was expected.
 */
import type { z } from "zod";
import { Email } from "../lib/schemas.ts";
import { zodSummary } from "../trpc/errors.ts";
import { UsageError } from "./usage-error.ts";

/** The --options of a verb, as node:util parseArgs gives them. */
export type Values = Record<string, string | boolean | undefined>;

/** A string option's value; undefined when absent (or given as a flag). */
export const str = (values: Values, name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);

/** The one business a verb acts on: its tenantKey or slug. */
export function tenantRefOf(args: string[]): string {
  if (args.length !== 1) throw new UsageError(args.length ? `expected one business, got ${args.length}` : "name the business: its tenantKey or slug");
  return args[0]!;
}

/** `input` checked by a service's own input schema, so the command line and the API accept the same things. */
export function checked<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new UsageError(zodSummary(result.error.issues));
  return result.data;
}

/** The e-mail an argument names, normalised the way accounts store it. */
export function emailArg(value: string | undefined, what: string): string {
  const parsed = Email.safeParse(value);
  if (!parsed.success) throw new UsageError(`${what}: not an e-mail address: ${value ?? ""}`);
  return parsed.data;
}

/** A whole number from `min` to `max`, given as text. */
export function wholeNumber(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${what} must be a whole number from ${min} to ${max}`);
  return n;
}
