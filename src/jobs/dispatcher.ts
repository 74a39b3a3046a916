/**
 * Pulls jobs from one pg-boss queue into a fixed number of slots and settles
 * them. pg-boss's own work() loop waits a polling interval (at least 0.5 s)
 * after every batch that comes back short of full, which is every batch once a
 * busy business sits at its concurrency cap; this loop instead fetches again as
 * soon as any slot frees, and polls only when idle.
 *
 * Fairness has two parts:
 *   - order: each business's jobs are queued round-robin by priority (fair-priority.ts),
 *     so another business's new job is next in line, not behind a flood;
 *   - capacity: pg-boss's groupConcurrency (counted in the database, so across every
 *     worker process) lets one business hold at most `tenantCap` running jobs, so slow
 *     jobs of one business never occupy every slot.
 */
import type { Logger } from "pino";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import { describeError } from "../lib/logger.ts";

/** A job that can never run as sent (no tenant, unknown type, wrong queue): failed without retries. */
export class JobRefused extends Error {}

export interface DispatcherOptions {
  boss: PgBoss;
  queue: string;
  slots: number;
  /** Most jobs of one fairness group (business) running at once, across all workers. */
  tenantCap?: number;
  idlePollMs: number;
  /** Fetches in flight at once (default 4): a fetch is a round trip of ~1 ms and more under load. */
  fetchers?: number;
  run(job: JobWithMetadata<unknown>, signal: AbortSignal): Promise<void>;
  log: Logger;
}

export interface Dispatcher {
  running(): number;
  stop(graceMs: number): Promise<void>;
}

const MAX_ERROR_LENGTH = 500;
/** The failure as stored in the job's output: a dead-letter handler may copy it into the business's audit log, so never a statement or its parameters. */
const messageOf = (error: unknown) => describeError(error).slice(0, MAX_ERROR_LENGTH);

export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { boss, queue, slots, tenantCap, idlePollMs, log } = options;
  const fetchers = Math.max(1, Math.min(options.fetchers ?? 4, slots));
  const inFlight = new Set<Promise<void>>();
  /** Slots promised to fetches still on their way back. */
  let reserved = 0;
  let stopping = false;
  /**
   * Turns to fetch. A finished job grants one (its slot may take the business's
   * next job), a full batch grants one more (there is likely more work). Waking
   * one fetcher per freed slot, not all of them, matters: when the only work
   * left belongs to a business at its cap, every extra fetch scans that
   * business's whole backlog to find nothing.
   */
  let permits = 0;
  const waiters: (() => void)[] = [];
  const grant = (n: number) => {
    permits = Math.min(permits + n, fetchers);
    while (permits > 0 && waiters.length) {
      permits--;
      waiters.shift()!();
    }
  };
  const wakeAll = () => {
    for (const wake of waiters.splice(0)) wake();
  };
  /** Until this fetcher is granted a turn, or (the polling fetcher only) the idle poll is due. */
  const waitTurn = (polls: boolean) =>
    new Promise<void>((resolve) => {
      if (stopping) return resolve();
      if (permits > 0) {
        permits--;
        return resolve();
      }
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = polls
        ? setTimeout(() => {
            waiters.splice(waiters.indexOf(wake), 1);
            resolve();
          }, idlePollMs)
        : undefined;
      waiters.push(wake);
    });
  const signal = () => grant(1);

  /**
   * Completions are written in batches: while one batch is on its way, the next
   * collects, so eight slots finishing together cost one statement, not eight.
   */
  let toComplete: { attempt: { id: string; retryCount: number }; done: (error?: unknown) => void }[] = [];
  let completing = false;
  async function flushCompletions() {
    completing = true;
    while (toComplete.length) {
      const batch = toComplete;
      toComplete = [];
      try {
        await boss.complete(queue, batch.map((c) => c.attempt));
        for (const c of batch) c.done();
      } catch (error) {
        for (const c of batch) c.done(error);
      }
    }
    completing = false;
  }
  const complete = (attempt: { id: string; retryCount: number }) =>
    new Promise<void>((resolve, reject) => {
      toComplete.push({ attempt, done: (error) => (error ? reject(error) : resolve()) });
      if (!completing) void flushCompletions();
    });

  /** Makes the job's next failure final: pg-boss fails a job for good once its retries are used up. */
  async function refuse(job: JobWithMetadata<unknown>, reason: string) {
    await boss.getDb().executeSql(`UPDATE pgboss.job_common SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`, [queue, job.id]);
    await boss.fail(queue, { id: job.id, retryCount: job.retryCount }, { message: reason.slice(0, MAX_ERROR_LENGTH), refused: true });
  }

  async function settle(job: JobWithMetadata<unknown>) {
    const attempt = { id: job.id, retryCount: job.retryCount };
    const abort = new AbortController();
    // Give up on a run shortly before pg-boss would expire it, so the retry is ours, not a race.
    const limitMs = Math.max(1000, job.expireInSeconds * 1000 - 500);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`run exceeded ${job.expireInSeconds} s`));
      }, limitMs);
    });
    const run = options.run(job, abort.signal);
    run.catch(() => {}); // after a timeout nobody awaits it; its failure is not news
    let failure: unknown;
    try {
      await Promise.race([run, timeout]);
    } catch (error) {
      failure = error ?? new Error("the job failed");
    } finally {
      clearTimeout(timer);
    }
    // A completion that cannot be written is not a failed run: the job expires and its rerun finds its effects done.
    if (failure === undefined) return complete(attempt);
    if (failure instanceof JobRefused) {
      log.error({ jobId: job.id, queue, reason: failure.message }, "job refused: it can never run as sent");
      await refuse(job, failure.message);
    } else {
      log.warn({ jobId: job.id, queue, attempt: job.retryCount + 1, err: failure }, "job failed; pg-boss retries it while it has retries left");
      await boss.fail(queue, attempt, { message: messageOf(failure) });
    }
  }

  function start(job: JobWithMetadata<unknown>) {
    const task = settle(job)
      .catch((error) => log.error({ err: error, jobId: job.id, queue }, "could not settle a job; it expires and is retried"))
      .finally(() => {
        inFlight.delete(task);
        signal();
      });
    inFlight.add(task);
  }

  // One fetcher polls an idle queue; the others sleep until they are granted a turn.
  async function fetchLoop(_: unknown, index: number) {
    const polls = index === 0;
    while (!stopping) {
      // Each fetcher takes its share of the free slots, so a burst fills them in parallel round trips.
      const want = Math.min(slots - inFlight.size - reserved, Math.ceil(slots / fetchers));
      if (want <= 0) {
        await waitTurn(polls);
        continue;
      }
      reserved += want;
      let jobs: JobWithMetadata<unknown>[] = [];
      try {
        jobs = await boss.fetch<unknown>(queue, { batchSize: want, includeMetadata: true, groupConcurrency: tenantCap });
      } catch (error) {
        if (!stopping) log.error({ err: error, queue }, "fetching jobs failed");
      } finally {
        reserved -= want;
      }
      for (const job of jobs) start(job);
      if (jobs.length === want) grant(1);
      else await waitTurn(polls);
    }
  }
  const loops = Array.from({ length: fetchers }, fetchLoop);

  return {
    running: () => inFlight.size,
    async stop(graceMs) {
      stopping = true;
      wakeAll();
      await Promise.all(loops);
      // Jobs still running after the grace stay active in the database: they expire and are retried.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, graceMs))]);
    },
  };
}
