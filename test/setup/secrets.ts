/**
 * Every secret a test hands the app or the app creates for it (passwords, their
 * hashes, tokens) is recorded here, so test/run.ts can check after the run that
 * none of them reached the log. Password hashes and JWTs are also looked for by
 * their shape, so one the tests never saw (auth.register's) is caught too.
 */
import { appendFileSync } from "node:fs";

const file = Bun.env.TEST_SECRETS_FILE;

export function recordSecret<T extends string>(secret: T): T {
  if (file) appendFileSync(file, `${secret}\n`);
  return secret;
}

/** Secrets by shape: an argon2 password hash, a JWT (header and payload are base64url JSON: "eyJ"). */
const SECRET_SHAPES = [/\$argon2(?:id|i|d)\$[^\s"]+/g, /\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g];

/** The recorded secrets, and anything shaped like one, that appear in `log`. */
export function leakedSecrets(log: string, recorded: string[]): string[] {
  const byShape = SECRET_SHAPES.flatMap((shape) => log.match(shape) ?? []);
  return [...new Set([...recorded.filter((s) => s.length >= 8 && log.includes(s)), ...byShape])];
}
