/**
 * The zod pieces every input schema is built from. Strings are declared only
 * here (test/architecture.test.ts refuses `z.string()` elsewhere in src/), so a
 * new text field cannot skip the checks PostgreSQL needs.
 */
import { z } from "zod";

export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * PostgreSQL refuses a NUL character in text (22021, a 500 if it got that far),
 * and postgres.js encodes an unpaired surrogate as U+FFFD, silently storing
 * something other than what was sent. Both are valid in a JS string.
 */
const isStorableText = (text: string) => !text.includes("\u0000") && text.isWellFormed();

const STORABLE = "must be valid text (no NUL characters or unpaired surrogates)";

/** Free text, trimmed, at most `max` characters. Every free-text input goes through this. */
export const Text = (max: number) => z.string().trim().max(max).refine(isStorableText, STORABLE);

/** A display name: a product, a category, a service. */
export const Name = Text(200).min(1);

/**
 * A value that is never stored as sent (a password is hashed, a token looked up
 * by its hash), so only its length matters.
 */
export const Secret = (min: number, max: number, tooShort?: string) => z.string().min(min, tooShort).max(max);

export const Email = z
  .email("must be an e-mail address")
  .max(254)
  .transform((e) => e.trim().toLowerCase());

export const Password = Secret(10, 200, "must be at least 10 characters");

/** Printable ASCII without spaces: keys clients choose (idempotency keys). */
export const ClientKey = (max: number) => Text(max).min(1).regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a 3-letter ISO currency code")
  .transform((c) => c.toUpperCase());

export const Cents = z.number().int("must be whole cents").min(0).max(100_000_000);

export const ListInput = z.object({ cursor: Id.optional(), limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 });
export type ListInput = z.infer<typeof ListInput>;

/** The latest instant an input may name: PostgreSQL's timestamptz ends in 294276 AD, JS dates go further. */
export const LATEST_INSTANT = new Date("9999-12-31T23:59:59Z");

/**
 * A point in time PostgreSQL's timestamptz can hold with room to spare. JS dates
 * reach ±273,790 years, timestamptz only 4713 BC to 294276 AD: an unbounded date
 * fails in the database (22008) and would surface as a 500.
 */
export const Instant = z.coerce
  .date()
  .min(new Date("1970-01-01T00:00:00Z"), "must be in 1970 or later")
  .max(LATEST_INSTANT, "must be before the year 10000");

/**
 * A word of a fixed alphabet (a slug): `pattern` must be anchored at both ends and
 * admit no control characters. Matched as sent, never trimmed, so a value with
 * stray spaces is refused rather than quietly repaired.
 */
export const Matching = (pattern: RegExp) => z.string().regex(pattern);

/**
 * Output pieces: what the server sends, never parsed from a client. Procedures
 * declare their outputs (`.output()`) from these and z.number/z.date/z.enum,
 * flat and simple: output validation runs on every response.
 */
export const OutText = z.string();
