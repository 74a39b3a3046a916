/**
 * Every secret a test hands the app or the app creates for it (passwords, their
 * hashes, tokens) is recorded here, so test/run.ts can check after the run that
 * none of them reached the log. Password hashes and JWTs are also looked for by
 * their shape, so one the tests never saw (auth.register's) is caught too, and
 * the keys the run's services hold are looked for as well (runSecrets).
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

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

/**
 * The keys the run's app and services hold that no test records: the download
 * link signing key (FILE_SIGNING_SECRET, else the one src/deps.ts generates in
 * DATA_DIR on first use) and the Meilisearch master key (MEILI_MASTER_KEY, else
 * the one src/infra/services.ts generates in DATA_DIR). Read after the run, so a
 * key generated during it is found too.
 */
export function runSecrets(dataDir: string, environment: Record<string, string | undefined> = Bun.env): string[] {
  const generated = ["file-signing-secret", "meili-master-key"]
    .map((name) => join(dataDir, name))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, "utf8").trim());
  return [environment.FILE_SIGNING_SECRET, environment.MEILI_MASTER_KEY, ...generated].filter((secret): secret is string => !!secret);
}
