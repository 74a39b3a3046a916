/**
 * Every secret a test hands the app (passwords, tokens) is recorded here, so
 * test/run.ts can check after the run that none of them reached the log.
 */
import { appendFileSync } from "node:fs";

const file = process.env.TEST_SECRETS_FILE;

export function recordSecret<T extends string>(secret: T): T {
  if (file) appendFileSync(file, `${secret}\n`);
  return secret;
}
