import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import { UnauthorizedError } from "../../lib/errors.ts";
import { verifyPassword } from "../../lib/passwords.ts";
import type { TokenIssuer } from "../../lib/tokens.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";
import type { ClientInfo, LoginInput, Outcome, TokenPair } from "./schemas.ts";
import { startSession } from "./sessions.ts";
import { assertNotThrottled, clearEmailFailures, recordFailure, throttleKeys } from "./throttle.ts";

/**
 * Signs a user in. A wrong password is returned as a failed outcome rather than
 * thrown, so the failure counter it records is committed.
 */
export async function login(
  scope: PlatformScope,
  tokens: TokenIssuer,
  input: LoginInput,
  client: ClientInfo,
): Promise<Outcome<TokenPair>> {
  const now = tokens.now();
  const keys = throttleKeys(input.email, client.ip);
  await assertNotThrottled(scope, keys, now);

  const [user] = await scope.db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, input.email));
  if (!(await verifyPassword(input.password, user?.passwordHash))) {
    await recordFailure(scope, keys, now);
    return { ok: false, error: new UnauthorizedError("Wrong e-mail or password") };
  }
  await clearEmailFailures(scope, input.email);
  return { ok: true, value: await startSession(scope, tokens, user!.id, client) };
}
