/**
 * parseEnv: defaults for everything optional, and a bad value stops start-up
 * with a message naming the variable but never echoing the value (some are secrets).
 */
import { describe, expect, test } from "bun:test";
import { availableParallelism } from "node:os";
import { PLAN_IDS } from "../src/db/schema/enums.ts";
import { parseEnv } from "../src/env.ts";
import { recordSecret } from "./setup/secrets.ts";

/** The message parseEnv throws for `source` (fails the test if it does not throw). */
function failure(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`parseEnv accepted ${Object.keys(source).join(", ")}`);
}

describe("defaults", () => {
  test("an empty environment gets the documented defaults", () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: "./.data",
      DATABASE_POOL_MAX: 10,
      STORAGE_DRIVER: "fs",
      BASE_DOMAIN: "localhost",
      LOG_LEVEL: "info",
      MEILI_INDEX_PREFIX: "desibazaar",
    });
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  test("empty strings count as unset", () => {
    const env = parseEnv({ PORT: "", LOG_LEVEL: "", DATABASE_URL: "" });
    expect(env).toMatchObject({ PORT: 3000, LOG_LEVEL: "info" });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  test("given values are parsed (numbers coerced) and the result is frozen", () => {
    const env = parseEnv({ PORT: "8080", LOG_LEVEL: "debug", DATABASE_URL: "postgres://u:p@db:5432/app", BASE_DOMAIN: "desibazaar.test:8443" });
    expect(env).toMatchObject({ PORT: 8080, LOG_LEVEL: "debug", DATABASE_URL: "postgres://u:p@db:5432/app", BASE_DOMAIN: "desibazaar.test:8443" });
    expect(Object.isFrozen(env)).toBe(true);
  });
});

describe("WORKERS", () => {
  test("defaults to one API process per core with Redis, and to one without it", () => {
    expect(parseEnv({}).WORKERS).toBe(1);
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).WORKERS).toBe(availableParallelism());
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379", WORKERS: "3" }).WORKERS).toBe(3);
    expect(parseEnv({ WORKERS: "1" }).WORKERS).toBe(1);
  });

  test("more than one without Redis is refused: caches and rate limits would be per process", () => {
    expect(failure({ WORKERS: "2" })).toContain("WORKERS: above 1 needs REDIS_URL");
  });
});

describe("bad values name the variable", () => {
  const cases: [string, Record<string, string>][] = [
    ["PORT", { PORT: "eighty" }],
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "80.5" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://root@localhost/app" }],
    ["DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["REDIS_URL", { REDIS_URL: "http://cache:6379" }],
    ["LOG_LEVEL", { LOG_LEVEL: "verbose" }],
    ["STORAGE_DRIVER", { STORAGE_DRIVER: "ftp" }],
    ["BASE_DOMAIN", { BASE_DOMAIN: "https://desibazaar.test/" }],
    ["TRIAL_PLAN", { TRIAL_PLAN: "gold" }],
    // An index uid may hold only letters, digits, - and _: a bad prefix would fail at the first search, not at start-up.
    ["MEILI_INDEX_PREFIX", { MEILI_INDEX_PREFIX: "shop/../other" }],
    ["MEILI_PUBLIC_URL", { MEILI_PUBLIC_URL: "ftp://search.example" }],
  ];
  for (const [variable, source] of cases) {
    test(`${variable}=${Object.values(source)[0]}`, () => {
      const message = failure(source);
      expect(message).toContain(variable);
      expect(message).not.toContain(Object.values(source)[0]!); // env.ts promises never to echo a value
      // The message names only the bad variable, so an operator fixes the right one.
      const others = ["PORT", "DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "STORAGE_DRIVER", "BASE_DOMAIN", "MEILI_INDEX_PREFIX", "MEILI_PUBLIC_URL"].filter((v) => v !== variable);
      for (const other of others) expect(message).not.toMatch(new RegExp(`\\b${other}\\b`));
    });
  }

  test("several bad variables are all named in one message", () => {
    const message = failure({ PORT: "-1", LOG_LEVEL: "loud", STORAGE_DRIVER: "tape" });
    for (const variable of ["PORT", "LOG_LEVEL", "STORAGE_DRIVER"]) expect(message).toContain(variable);
  });
});

test("TRIAL_PLAN takes each plan id the plan catalogue has (db/schema/enums.ts)", () => {
  for (const id of PLAN_IDS) expect(parseEnv({ TRIAL_PLAN: id }).TRIAL_PLAN).toBe(id);
  expect(parseEnv({}).TRIAL_PLAN).toBe("standard");
});

describe("secrets never appear in the error", () => {
  test("a too-short JWT_SECRET is named but not shown", () => {
    const secret = recordSecret(`jwt-${crypto.randomUUID().slice(0, 12)}`); // 16 characters: too short
    const message = failure({ JWT_SECRET: secret });
    expect(message).toContain("JWT_SECRET");
    expect(message).not.toContain(secret);
  });

  test("short MEILI_MASTER_KEY and PLATFORM_ADMIN_PASSWORD are named but not shown", () => {
    const key = recordSecret(`mk-${crypto.randomUUID().slice(0, 8)}`);
    const password = recordSecret(`pw-${crypto.randomUUID().slice(0, 6)}`);
    const message = failure({ MEILI_MASTER_KEY: key, PLATFORM_ADMIN_PASSWORD: password });
    expect(message).toContain("MEILI_MASTER_KEY");
    expect(message).toContain("PLATFORM_ADMIN_PASSWORD");
    expect(message).not.toContain(key);
    expect(message).not.toContain(password);
  });

  test("a database URL with the wrong scheme is named without its password", () => {
    const password = recordSecret(`dbpw-${crypto.randomUUID()}`);
    const message = failure({ DATABASE_URL: `mysql://app:${password}@db.internal:3306/shop` });
    expect(message).toContain("DATABASE_URL");
    expect(message).not.toContain(password);
    expect(message).not.toContain("db.internal");
  });
});
