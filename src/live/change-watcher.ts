import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/index.js';
import { readChangeMark } from './read-change-mark.js';

export interface ChangeWatcher {
  /** Calls fn whenever the data changes (from any process on the same database); returns an unsubscribe. */
  subscribe(fn: () => void): () => void;
  stop(): void;
}

/**
 * One poller per process, however many dashboards are open, and none at all while nobody
 * watches. Polling works alike on PGlite and PostgreSQL and sees changes made by every process
 * (LISTEN/NOTIFY would not reach a PGlite reader, and would need a trigger on the click path).
 */
export function createChangeWatcher(db: Database, log: FastifyBaseLogger, intervalMs = 1000): ChangeWatcher {
  const subscribers = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let last: string | undefined;
  let busy = false;

  const tick = async () => {
    if (busy) return; // a slow database: skip a beat rather than pile up reads
    busy = true;
    try {
      const mark = await readChangeMark(db);
      const changed = last !== undefined && mark !== last;
      last = mark;
      if (changed) for (const fn of subscribers) fn();
    } catch (err) {
      log.warn({ err }, 'live updates: reading the change mark failed; retrying');
    } finally {
      busy = false;
    }
  };

  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    last = undefined;
  };

  return {
    subscribe(fn) {
      subscribers.add(fn);
      if (!timer) {
        void tick(); // the baseline: changes after this moment are reported
        timer = setInterval(() => void tick(), intervalMs);
        timer.unref();
      }
      return () => {
        subscribers.delete(fn);
        if (subscribers.size === 0) stopTimer();
      };
    },
    stop() {
      subscribers.clear();
      stopTimer();
    },
  };
}
