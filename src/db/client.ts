/**
 * Raw postgres.js pools, one per login role. Only src/tenancy/ may import this
 * file (test/architecture.test.ts enforces it): everything else gets a scoped handle.
 */
import postgres from "postgres";
import { ROLE_KINDS, roleOf, type DbRoleKind, type RoleUrls } from "./roles.ts";

export type Pool = postgres.Sql;
export type Pools = Record<DbRoleKind, Pool>;

export interface PoolOptions {
  max?: number;
  /** Per-role overrides, e.g. a pool of 1-2 connections for the bleed test. */
  maxByRole?: Partial<Record<DbRoleKind, number>>;
}

/**
 * A connection idle this long is closed. Five minutes, not less: a new one costs
 * the SCRAM handshake, a backend that builds its catalogue caches again and our
 * prepared statements prepared again. At 30 s, the first 5 s after a quiet
 * minute had 3.5x the steady p99; at 300 s, 1.35x (`bun run bench http-quiet`).
 * The connections a process may hold are within PostgreSQL's budget either way
 * (poolMaxFor), so keeping them costs memory in PostgreSQL, not connection slots.
 */
const IDLE_TIMEOUT_SECONDS = 300;

export function createPools(urls: RoleUrls, options: PoolOptions = {}): Pools {
  const make = (kind: DbRoleKind) =>
    postgres(urls[kind], {
      max: options.maxByRole?.[kind] ?? options.max ?? 10,
      idle_timeout: IDLE_TIMEOUT_SECONDS,
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: `desibazaar:${roleOf(urls[kind])}` },
    });
  return Object.fromEntries(ROLE_KINDS.map((kind) => [kind, make(kind)])) as Pools;
}

export async function closePools(pools: Pools): Promise<void> {
  await Promise.all(Object.values(pools).map((pool) => pool.end({ timeout: 5 })));
}
