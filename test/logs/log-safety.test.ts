/**
 * What reaches the log. A database error is logged with its SQLSTATE,
 * constraint and table, never the driver's message or the statement's
 * parameters: a failed insert of a user once logged the e-mail, the name and the
 * argon2 hash. And the run's log scan (test/run.ts) catches what it is for.
 */
import { describe, expect, test } from "bun:test";
import { users } from "../../src/db/schema/index.ts";
import { fileStorageConfigFromEnv } from "../../src/deps.ts";
import { env } from "../../src/env.ts";
import { describeError, serializeError } from "../../src/lib/logger.ts";
import { createUser } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { leakedSecrets, recordSecret, runSecrets } from "../setup/secrets.ts";

describe("database errors in the log", () => {
  test("a refused insert is logged as SQLSTATE, constraint and table, without the values it carried", async () => {
    const existing = await createUser();
    const hash = recordSecret(`$argon2id$v=19$m=65536,t=2,p=1$${crypto.randomUUID()}`);
    const error = await scopes
      .asPlatform((s) => s.db.insert(users).values({ email: existing.email, name: "Duplicate Darsh", passwordHash: hash }))
      .then(() => null, (e: unknown) => e);
    expect(error).not.toBeNull();

    const logged = serializeError(error);
    expect(logged).toMatchObject({ type: "DatabaseError", sqlState: "23505", constraint: "users_email_key", table: "users" });
    const text = JSON.stringify(logged);
    for (const value of [hash, existing.email, "Duplicate Darsh", "insert into"]) expect(text).not.toContain(value);
    expect(describeError(error)).toBe("database error 23505 (users_email_key)");
  });

  test("a failed query whose cause is not a database error still keeps its statement out", () => {
    class DrizzleQueryError extends Error {}
    const error = new DrizzleQueryError(`Failed query: select $1\nparams: pw-${"s".repeat(12)}`, { cause: new Error("connection reset") });
    const text = JSON.stringify(serializeError(error));
    expect(text).not.toContain("pw-ssss");
    expect(text).toContain("connection reset");
  });
});

describe("the log scan", () => {
  test("finds recorded secrets, password hashes and JWTs, and nothing in a clean log", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    expect(leakedSecrets(`{"msg":"x","hash":"$argon2id$v=19$m=1,t=1,p=1$abc$def"}`, [])).toEqual(["$argon2id$v=19$m=1,t=1,p=1$abc$def"]);
    expect(leakedSecrets(`{"msg":"token ${jwt}"}`, [])).toEqual([jwt]);
    expect(leakedSecrets(`{"msg":"pw-recorded-secret"}`, ["pw-recorded-secret"])).toEqual(["pw-recorded-secret"]);
    expect(leakedSecrets(`{"level":30,"msg":"procedure failed","err":{"type":"DatabaseError","sqlState":"23505"}}`, ["pw-recorded-secret"])).toEqual([]);
  });

  test("also looks for the keys this run's app and services hold: the download-link signing key and the Meilisearch master key", () => {
    const { signingSecret } = fileStorageConfigFromEnv();
    const signing = typeof signingSecret === "string" ? signingSecret : signingSecret();
    const keys = runSecrets(env.DATA_DIR);
    expect(keys).toContain(signing);
    expect(env.MEILI_MASTER_KEY).toBeTruthy();
    expect(keys).toContain(env.MEILI_MASTER_KEY!);
    expect(leakedSecrets(`{"msg":"link signed","with":"${signing}"}`, keys)).toEqual([signing]);
  });
});
