/** What every benchmark gets from `bun run bench` (bench/run.ts): the database it may use and a way to print. */
import type { RoleUrls } from "../src/db/roles.ts";

export interface BenchEnv {
  ownerUrl: string;
  roleUrls: RoleUrls;
  /** The key the database verifies each transaction's context with. */
  contextKey: string;
  /** The cache benchmark runs its Redis variants only when set (under a key prefix of its own, removed afterwards). */
  redisUrl?: string;
  /** A Meilisearch for the search benchmark (started only when it is selected). */
  meiliUrl?: string;
  meiliMasterKey: string;
  say(message: string): void;
}
