import { users } from "../../db/schema/index.ts";
import { ConflictError } from "../../lib/errors.ts";
import { hashPassword } from "../../lib/passwords.ts";
import type { PlatformScope } from "../../tenancy/scopes.ts";
import type { RegisterInput } from "./schemas.ts";

export async function register(scope: PlatformScope, input: RegisterInput): Promise<{ userId: number }> {
  const passwordHash = await hashPassword(input.password);
  const [row] = await scope.db
    .insert(users)
    .values({ email: input.email, name: input.name, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (!row) throw new ConflictError("An account with this e-mail already exists");
  return { userId: row.id };
}
