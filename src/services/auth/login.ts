import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import { UnauthorizedError } from "../../lib/errors.ts";
import { verifyPassword } from "../../lib/passwords.ts";
import type { TokenIssuer } from "../../lib/tokens.ts";
import type { Scopes } from "../../tenancy/scopes.ts";
import type { ClientInfo, LoginInput, TokenPair } from "./schemas.ts";
import { startSession } from "./sessions.ts";
import { countAttempt, forgiveSignIn, loginKeys } from "./throttle.ts";

/** Opens platform transactions (ctx.platform, scopes.asPlatform). */
export type PlatformRunner = Scopes["asPlatform"];

/**
 * Signs a user in, in three steps so the slow password check holds no database
 * connection: count the attempt and read the hash (one committed transaction),
 * verify, then on success start the session.
 */
export async function login(platform: PlatformRunner, tokens: TokenIssuer, input: LoginInput, client: ClientInfo): Promise<TokenPair> {
  const now = tokens.now();
  const user = await platform(async (scope) => {
    await countAttempt(scope, loginKeys(input.email, client.ip), now);
    const [row] = await scope.db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, input.email));
    return row;
  });
  if (!(await verifyPassword(input.password, user?.passwordHash))) throw new UnauthorizedError("Wrong e-mail or password");
  return platform(async (scope) => {
    await forgiveSignIn(scope, input.email, client.ip);
    return startSession(scope, tokens, user!.id, client);
  });
}
