/**
 * A throw-away database on an existing server, for test and benchmark runs
 * pointed at DATABASE_URL: created on first connect by the migrator, dropped
 * (with force) afterwards.
 */
import postgres from "postgres";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export function scratchDatabase(serverUrl: string, name: string, log: (m: string) => void = () => {}): ScratchDatabase {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`scratch database name must be [a-z0-9_]: ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const maintenanceUrl = new URL(serverUrl);
  maintenanceUrl.pathname = "/postgres";
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(maintenanceUrl.toString(), { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${name}" with (force)`).catch((e) => log(`could not drop ${name}: ${e}`));
      await sql.end();
    },
  };
}
