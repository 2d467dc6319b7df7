import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/index.js';
import { abandonLease, finishLease, tryTakeLease } from '../recalc/job-lease.js';
import { expireClickDetails } from './expire-click-details.js';
import type { Logger } from '../shared/sleep.js';


/** How often a process tries to run retention; one process at a time wins the lease. */
const RETENTION_INTERVAL_MS = 6 * 3_600_000;
const LEASE = 'click_retention';

/**
 * Runs click retention soon after start and then every 6 hours, in whichever worker process
 * takes the `click_retention` lease. Never crashes the process; stop() waits for the run in hand.
 */
export function startClickRetention(db: Database, days: number, log: Logger): { stop(): Promise<void> } {
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const runOnce = async () => {
    try {
      if (!(await tryTakeLease(db, LEASE, holder, RETENTION_INTERVAL_MS))) return;
      try {
        const clicks = await expireClickDetails(db, days);
        await finishLease(db, LEASE, holder);
        if (clicks > 0) log.info({ clicks, days }, 'click retention: details of old clicks removed');
      } catch (err) {
        await abandonLease(db, LEASE, holder).catch(() => undefined);
        throw err;
      }
    } catch (err) {
      log.error({ err }, 'click retention failed; will retry');
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => schedule(RETENTION_INTERVAL_MS));
    }, ms);
    timer.unref();
  };
  schedule(5_000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
