/** What every benchmark gets from `bun run bench` (bench/run.ts): the database it may use and a way to print. */
import type { RoleUrls } from "../src/db/roles.ts";

export interface BenchEnv {
  ownerUrl: string;
  roleUrls: RoleUrls;
  say(message: string): void;
}
