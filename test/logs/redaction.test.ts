/**
 * Secrets never reach the log: the real logger (src/lib/logger.ts, writing to
 * LOG_FILE as test/run.ts configures it) is handed passwords, tokens and
 * authorization headers at the top level and nested, and the file it wrote is
 * read back. Each secret must be gone and its field must read "[redacted]".
 * The secrets are also recorded for the run's own log scan (test/run.ts).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { env } from "../../src/env.ts";
import { logger } from "../../src/lib/logger.ts";
import { unique } from "../setup/fixtures.ts";
import { recordSecret } from "../setup/secrets.ts";

const secret = (label: string) => recordSecret(`${label}-${crypto.randomUUID()}`);

/** Logs `fields` with a unique message and returns that line from the log file, parsed, plus the whole file. */
function logged(fields: Record<string, unknown>, level: "info" | "warn" | "error" = "info"): { line: Record<string, unknown>; file: string } {
  if (!env.LOG_FILE) throw new Error("LOG_FILE is not set: run the tests with `bun run test`, which points the logger at a file");
  const marker = unique("redaction-check-");
  logger[level](fields, marker);
  const file = readFileSync(env.LOG_FILE, "utf8"); // the destination is synchronous: the line is there already
  const lines = file.split("\n").filter((l) => l.includes(marker));
  expect(lines.length).toBe(1);
  return { line: JSON.parse(lines[0]!) as Record<string, unknown>, file };
}

describe("the logger redacts secrets by key", () => {
  test("a password, a refresh token and an authorization header at the top level", () => {
    const [password, refreshToken, authorization] = [secret("pw"), secret("refresh"), `Bearer ${secret("access")}`];
    const { line, file } = logged({ email: "someone@example.test", password, refreshToken, authorization });
    expect(line).toMatchObject({ email: "someone@example.test", password: "[redacted]", refreshToken: "[redacted]", authorization: "[redacted]" });
    for (const s of [password, refreshToken, authorization]) expect(file).not.toContain(s);
  });

  test("request headers one level down: authorization and cookie", () => {
    const [authorization, cookie] = [`Bearer ${secret("access")}`, `session=${secret("cookie")}`];
    const { line, file } = logged({ headers: { authorization, cookie, "user-agent": "test" } }, "warn");
    expect(line.headers).toEqual({ authorization: "[redacted]", cookie: "[redacted]", "user-agent": "test" });
    for (const s of [authorization, cookie]) expect(file).not.toContain(s);
  });

  test("a request body two levels down: password, newPassword and tokens", () => {
    const [password, newPassword, accessToken, refreshToken] = [secret("pw"), secret("new-pw"), secret("access"), secret("refresh")];
    const { line, file } = logged({ req: { body: { password, newPassword } }, result: { tokens: { accessToken, refreshToken } } });
    expect(line.req).toEqual({ body: { password: "[redacted]", newPassword: "[redacted]" } });
    expect(line.result).toEqual({ tokens: { accessToken: "[redacted]", refreshToken: "[redacted]" } });
    for (const s of [password, newPassword, accessToken, refreshToken]) expect(file).not.toContain(s);
  });

  test("a failed query's parameters (a password among them) are not logged with its error", () => {
    const password = secret("pw");
    const error = Object.assign(new Error("insert failed"), { query: "insert into users (password_hash) values ($1)", parameters: [password], params: [password] });
    const { line, file } = logged({ err: error }, "error");
    expect(line.err).toMatchObject({ message: "insert failed" });
    expect(line.err).not.toHaveProperty("parameters");
    expect(file).not.toContain(password);
  });
});
