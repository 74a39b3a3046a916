/**
 * How many connections each role pool of an API process may open, so that all
 * API processes of `bun run start` (WORKERS) together stay within the
 * database's max_connections.
 */
import postgres from "postgres";

/** Pools per process that serve requests: app, customer, admin, platform. */
const POOLS_PER_PROCESS = 4;
/** Left for the owner, the job queue, operator commands and the database's own reserved slots. */
const HEADROOM = 20;

/** DATABASE_POOL_MAX, or less when `processes` times it would pass the database's connection limit. */
export async function poolMaxFor(ownerUrl: string, processes: number, requested: number): Promise<{ max: number; limit: number }> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ max_connections: string }[]>`show max_connections`;
    const limit = Number(row!.max_connections);
    const fits = Math.max(1, Math.floor((limit - HEADROOM) / (processes * POOLS_PER_PROCESS)));
    return { max: Math.min(requested, fits), limit };
  } finally {
    await sql.end();
  }
}
