import { users } from "../../db/schema/index.ts";
import { ConflictError } from "../../lib/errors.ts";
import { hashPassword } from "../../lib/passwords.ts";
import type { PlatformRunner } from "./login.ts";
import type { ClientInfo, RegisterInput } from "./schemas.ts";
import { countAttempt, registrationKeys } from "./throttle.ts";

/** Creates an account. The password is hashed before any transaction opens: argon2 must not hold a connection. */
export async function register(platform: PlatformRunner, input: RegisterInput, client: Partial<ClientInfo> = {}, now = new Date()): Promise<{ userId: number }> {
  const keys = registrationKeys(client.ip ?? null);
  if (keys.length) await platform((scope) => countAttempt(scope, keys, now));
  const passwordHash = await hashPassword(input.password);
  const [row] = await platform((scope) =>
    scope.db.insert(users).values({ email: input.email, name: input.name, passwordHash }).onConflictDoNothing({ target: users.email }).returning({ id: users.id }),
  );
  if (!row) throw new ConflictError("An account with this e-mail already exists");
  return { userId: row.id };
}
