import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/index.js';
import type { Metrics } from '../monitoring/metrics.js';
import { evaluateApplications } from '../workflow/evaluate-applications.js';
import { CLICK_SETTLE_MS } from '../tracking/rules/index.js';
import { claimDueRequests, releaseRequests, remarkUnjudgedClicks, returnRequests } from './recalc-requests.js';
import { runPrioritization } from '../workflow/run-prioritization.js';
import { abandonLease, finishLease, tryTakeLease } from './job-lease.js';
import { sleep, type Logger } from '../shared/sleep.js';

export interface WorkerOptions {
  defaultTimezone: string;
  /** Pause between polls when nothing is due. (Default: 250 ms) */
  pollMs?: number;
  /** Applications per batch: the rate limit of recalculation. (Default: 500 on PostgreSQL; 100 on PGlite, whose statements hold the event loop) */
  batchSize?: number;
  /** A claimed request returns to the pool after this long if its worker died (PostgreSQL; PGlite releases at start). (Default: 15 s) */
  leaseMs?: number;
  /**
   * Batches in flight at once in this process, each claiming its own due requests (SKIP LOCKED,
   * as separate processes do). (Default: 2 on PostgreSQL; PGlite runs one statement at a time, so 1)
   */
  concurrency?: number;
  /** How often one process (whichever takes the lease) runs the full prioritization. (Default: 10 min; 0 = never) */
  fullRunIntervalMs?: number;
  /** A booking source is configured: `booking_not_completed` is judged (EvaluationOptions). (Default: false) */
  bookingSource?: boolean;
}

/**
 * The event-driven half of the workflow: picks up applications whose clicks (or edits) marked
 * them, and updates analytics, triggers and queue within seconds, with no call from the user.
 * Never crashes the process: a failed batch is logged, counted and retried after a pause.
 */
export function startRecalcWorker(db: Database, metrics: Metrics, log: Logger, options: WorkerOptions) {
  const pollMs = options.pollMs ?? 250;
  const batchSize = options.batchSize ?? (db.engine === 'pglite' ? 100 : 500);
  const concurrency = db.engine === 'pglite' ? 1 : Math.max(1, Math.floor(options.concurrency ?? 2));
  const leaseMs = options.leaseMs ?? 15_000;
  const fullRunIntervalMs = options.fullRunIntervalMs ?? 10 * 60_000;
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const controller = new AbortController();

  async function tick(): Promise<number> {
    const claimed = await claimDueRequests(db, batchSize, leaseMs);
    if (claimed.length === 0) return 0;
    const end = metrics.recalcSeconds.startTimer();
    const ids = claimed.map((c) => c.application_id);
    // Judge only clicks old enough that any scanner burst they belong to has shown itself; the
    // younger ones are judged in a later round (re-marked below, before the release).
    const judgedUpTo = new Date(Date.now() - CLICK_SETTLE_MS);
    try {
      await db.transaction((tx) => evaluateApplications(tx, ids, { defaultTimezone: options.defaultTimezone, actor: 'worker', now: judgedUpTo, bookingSource: options.bookingSource }));
      await remarkUnjudgedClicks(db, ids, judgedUpTo, CLICK_SETTLE_MS);
    } catch (err) {
      await returnRequests(db, ids, 2_000).catch(() => undefined);
      throw err;
    } finally {
      end();
    }
    await releaseRequests(db, claimed);
    const now = Date.now();
    for (const c of claimed) metrics.clickToQueueSeconds.observe((now - c.requested_at.getTime()) / 1000);
    return claimed.length;
  }

  async function fullRun(): Promise<void> {
    if (!(await tryTakeLease(db, 'full_prioritization', holder, fullRunIntervalMs))) return;
    try {
      const result = await runPrioritization(db, {
        defaultTimezone: options.defaultTimezone,
        actor: 'worker',
        signal: controller.signal,
        bookingSource: options.bookingSource,
      });
      if (controller.signal.aborted) {
        await abandonLease(db, 'full_prioritization', holder);
        return;
      }
      await finishLease(db, 'full_prioritization', holder);
      log.info({ evaluated: result.evaluated, fired: result.triggersFired.length, queue: result.queue, ms: result.durationMs }, 'full prioritization run');
    } catch (err) {
      await abandonLease(db, 'full_prioritization', holder).catch(() => undefined);
      throw err;
    }
  }

  // Clicks first: the event loop never waits for a full run. On PGlite the two interleave
  // batch by batch (one transaction at a time), so a click is still handled within seconds.
  const eventLoop = (async () => {
    // PGlite has exactly one process per data dir (a lock file guards it): any lease left is
    // from a process that died mid-batch, so give those requests back now instead of waiting.
    if (db.engine === 'pglite') {
      await db.query('UPDATE recalc_requests SET leased_until = NULL WHERE leased_until IS NOT NULL').catch((err) =>
        log.error({ err }, 'could not release stale recalculation leases'),
      );
    }
    const claimLoop = async () => {
      while (!controller.signal.aborted) {
        try {
          const handled = await tick();
          if (handled === 0) await sleep(pollMs, controller.signal);
        } catch (err) {
          metrics.workerErrors.inc();
          log.error({ err }, 'recalculation batch failed; retrying');
          await sleep(Math.max(pollMs, 1_000), controller.signal);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, claimLoop));
  })();

  // The periodic full run refreshes what time alone changes (recency, deadlines coming due).
  const fullRunLoop = (async () => {
    if (fullRunIntervalMs <= 0) return;
    while (!controller.signal.aborted) {
      try {
        await fullRun();
      } catch (err) {
        metrics.workerErrors.inc();
        log.error({ err }, 'full prioritization run failed; will retry');
      }
      await sleep(Math.min(fullRunIntervalMs, 60_000), controller.signal);
    }
  })();

  const loop = Promise.all([eventLoop, fullRunLoop]);

  return {
    /** Finishes the batch in hand, then stops. */
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
