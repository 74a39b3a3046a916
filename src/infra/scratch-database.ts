/**
 * A throw-away database on an existing server, for test and benchmark runs
 * pointed at DATABASE_URL: created on first connect by the migrator, dropped
 * (with force) afterwards together with its login roles.
 */
import { dropDatabaseAndRoles } from "../db/migrate.ts";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export function scratchDatabase(serverUrl: string, name: string, log: (m: string) => void = () => {}): ScratchDatabase {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`scratch database name must be [a-z0-9_]: ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await dropDatabaseAndRoles(serverUrl, name).catch((e) => log(`could not drop ${name}: ${e}`));
    },
  };
}
